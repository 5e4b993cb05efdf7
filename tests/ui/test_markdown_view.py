"""Questions render from Markdown: code highlighted inline, raw HTML shown as text, nothing
fetched from outside."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from desktop.ui.markdown_view import MarkdownView, render_markdown

QUESTION = """**Q3**: What does `torch.no_grad()` do?

```python
with torch.no_grad():
    y = model(x)
```

| mode | grads |
|---|---|
| train | yes |
"""


def test_code_blocks_are_highlighted_in_a_coloured_table() -> None:
    html = render_markdown(QUESTION)
    assert '<table width="100%" cellpadding="8" cellspacing="0" bgcolor=' in html
    assert "<span style=" in html  # Pygments inline styles, no classes
    assert 'class="codehilite"' not in html
    assert '<table class="grid"' in html


def test_dark_and_light_use_different_code_colours() -> None:
    assert render_markdown(QUESTION, dark=True) != render_markdown(QUESTION, dark=False)


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown('Use Vec<T>; <script>alert(1)</script> <img src="http://x/a.png">')
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    assert "<img" not in html


def test_the_view_keeps_the_source_and_fetches_nothing(qtbot: QtBot) -> None:
    view = MarkdownView()
    qtbot.addWidget(view)
    view.set_markdown(QUESTION + "\n![chart](http://example.com/chart.png)\n")
    assert view.markdown().startswith("**Q3**")
    assert "torch.no_grad()" in view.toPlainText()
    assert view.loadResource(2, QUrl("http://example.com/chart.png")) is None
