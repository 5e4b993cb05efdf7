"""Notes render as written: lists after a line of text, nested lists indented by two or three
spaces, code highlighted inline, tables, raw HTML shown as text."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.importers.notes import parse_notes_file
from desktop.markup.html import markdown_html
from desktop.markup.lists import normalize_lists

SEED = Path(__file__).resolve().parents[2] / "resources" / "bank" / "frameworks-and-tools.md"

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
    html = markdown_html(QUESTION)
    assert '<table class="code" width="100%" cellpadding="8" cellspacing="0" bgcolor=' in html
    assert "<span style=" in html  # Pygments inline styles, no classes
    assert 'class="codehilite"' not in html
    assert '<table class="grid"' in html
    assert "<td>train</td>" in html


def test_dark_and_light_use_different_code_colours() -> None:
    assert markdown_html(QUESTION, dark=True) != markdown_html(QUESTION, dark=False)


def test_raw_html_is_shown_as_text() -> None:
    html = markdown_html('Use Vec<T>; <script>alert(1)</script> <img src="http://x/a.png">')
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    assert "<img" not in html


def test_a_list_right_after_a_line_of_text_is_a_list() -> None:
    html = markdown_html("Are these equivalent?\n- A: batch 32\n- B: batch 8, 4 steps")
    assert html == (
        "<p>Are these equivalent?</p>\n<ul>\n<li>A: batch 32</li>\n"
        "<li>B: batch 8, 4 steps</li>\n</ul>"
    )


def test_a_list_after_a_bold_label_is_a_list() -> None:
    html = markdown_html("**Trade-offs**:\n- QLoRA: slower\n- FSDP: needs GPUs")
    assert "<p><strong>Trade-offs</strong>:</p>\n<ul>" in html
    assert " - " not in html


def test_items_nested_by_two_or_three_spaces_are_nested() -> None:
    for indent in ("  ", "   ", "    ", "\t"):
        text = f"1. **Batch norm**: statistics\n{indent}- A: 32 samples\n{indent}- B: 8\n2. Memory"
        html = markdown_html(text)
        assert re.search(
            r"<ol>\s*<li>\s*<p><strong>Batch norm</strong>: statistics</p>\s*<ul>", html
        ) or re.search(r"<ol>\s*<li><strong>Batch norm</strong>: statistics\s*<ul>", html), (
            indent,
            html,
        )
        assert html.count("<li>") == 4, (indent, html)


def test_a_numbered_list_split_by_code_keeps_its_numbers() -> None:
    html = markdown_html("1. Create:\n```python\nx = 1\n```\n\n2. Move:\n```python\nx.cuda()\n```")
    assert '<ol start="2">' in html


def test_code_and_rules_are_left_as_they_are() -> None:
    text = "Text\n```\n  - not a list\n```\n---\n* * *"
    assert normalize_lists(text) == "Text\n\n```\n  - not a list\n```\n---\n* * *"


def test_no_reference_of_the_built_in_bank_shows_a_literal_list_marker() -> None:
    notes = parse_notes_file(SEED)
    for question in notes.questions:
        for text in (question.prompt, question.reference):
            html = markdown_html(text)
            paragraphs = re.findall(r"<p>(.*?)</p>", html, re.DOTALL)
            assert not any(re.search(r"(^|\n)\s*([-*]|\d+\.) ", p) for p in paragraphs), (
                question.identity,
                paragraphs,
            )


def test_images_are_their_alt_text_and_never_loaded() -> None:
    html = markdown_html(
        "See ![the chart](http://x/c.png), ![](plots/loss.png) and ![r][r]\n\n[r]: http://y/z.png"
    )
    assert "<img" not in html
    assert "[image: the chart]" in html and "[image: loss.png]" in html and "[image: r]" in html
