"""Links lead only to web pages and e-mail addresses; wide tables can be cut for print."""

from __future__ import annotations

import re

import pytest

from desktop.markup.html import markdown_html
from desktop.markup.links import is_safe_link

UNSAFE = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "java\x00script:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&#58;alert(1)",
    "javascript&colon;alert(1)",
    "&#x6A;&#x61;vascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "DATA:text/html,<b>x</b>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "notes/other.md",
    "",
]


@pytest.mark.parametrize("href", UNSAFE)
def test_only_web_and_mail_links_are_safe(href: str) -> None:
    assert not is_safe_link(href)


@pytest.mark.parametrize("href", ["http://x.org", "HTTPS://x.org/a?b=c", " mailto:a@b.org"])
def test_web_and_mail_links_are_safe(href: str) -> None:
    assert is_safe_link(href)


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click]( JaVaScRiPt:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](<java script:alert(1)>)",
        "[click](&#106;avascript:alert(1))",
        "[click](javascript&#58;alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](vbscript:msgbox(1))",
        '[click](javascript:alert(1) "a title")',
        "[click][r]\n\n[r]: javascript:alert(1)",
        "[click][r]\n\n[r]:  VBScript:alert(1)",
    ],
)
def test_a_link_to_anything_but_a_web_page_or_mail_is_its_text(source: str) -> None:
    html = markdown_html(source)
    assert "<a" not in html and "href" not in html, html
    assert "script:" not in html.lower() and "data:" not in html.lower(), html
    assert "click" in html


def test_web_and_mail_links_stay_links() -> None:
    html = markdown_html("[site](https://example.org), <http://example.org> and <a@b.org>")
    assert '<a href="https://example.org">site</a>' in html
    assert '<a href="http://example.org">http://example.org</a>' in html
    assert html.count("<a href=") == 3  # the e-mail address too (written as references)


def test_a_dropped_link_keeps_its_formatting() -> None:
    html = markdown_html("See [the **bold** part](javascript:x) here.")
    assert html == "<p>See <span>the <strong>bold</strong> part</span> here.</p>"


WIDE = (
    "| " + " | ".join(f"h{n}" for n in range(1, 21)) + " |\n"
    "|" + "---|" * 20 + "\n"
    "| " + " | ".join(f"v{n}" for n in range(1, 21)) + " |"
)


def test_a_wide_table_is_cut_into_tables_that_repeat_the_first_column() -> None:
    html = markdown_html(WIDE, table_columns=8)
    tables = re.findall(r"<table.*?</table>", html, re.DOTALL)
    assert len(tables) == 3  # 19 columns after the first, 7 to a table
    for table in tables:
        assert '<table class="grid"' in table
        assert "<th>h1</th>" in table and "<td>v1</td>" in table
    cells = [re.findall(r"<t[hd]>(\w+)</t[hd]>", table) for table in tables]
    assert cells[0] == [f"h{n}" for n in range(1, 9)] + [f"v{n}" for n in range(1, 9)]
    assert cells[2] == ["h1", *(f"h{n}" for n in range(16, 21)), "v1"] + [
        f"v{n}" for n in range(16, 21)
    ]


def test_tables_are_whole_unless_asked() -> None:
    html = markdown_html(WIDE)
    assert html.count("<table") == 1 and "<th>h20</th>" in html
    assert markdown_html(WIDE, table_columns=20) == html
