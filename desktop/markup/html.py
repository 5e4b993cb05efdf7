"""Markdown -> HTML for Qt's rich text (the app's views, the PDF) and for the HTML report.

Code is highlighted with Pygments inline styles; images are shown as their alt text, never
loaded. Qt's rich text ignores a `<div>`'s background, so each code block is wrapped in a
one-cell table that carries the colour; tables get the `grid` class. Raw HTML in a question is
shown as text, never interpreted: no `<script>`, no `<img src=…>`, so rendering never loads
anything. Links are kept only to web pages and e-mail addresses (`desktop.markup.links`). For a
page that cannot scroll sideways, wide tables may be cut into narrower ones
(`desktop.markup.tables`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

import markdown
from markdown.preprocessors import Preprocessor

from desktop.markup.links import DropUnsafeLinks
from desktop.markup.lists import normalize_lists
from desktop.markup.tables import SplitWideTables

LIGHT_CODE_STYLE = "friendly"
DARK_CODE_STYLE = "github-dark"

# Python-Markdown's image patterns and their priorities (markdown/inlinepatterns.py).
_IMAGE_PATTERNS = {"image_link": 150, "image_reference": 140, "short_image_ref": 125}

_CODE_BLOCK = re.compile(
    r'<div class="codehilite" style="background: (?P<bg>[^"]+)">'
    r"<pre[^>]*>(?:<span></span>)?(?:<code>)?(?P<body>.*?)(?:</code>)?</pre></div>",
    re.DOTALL,
)


def _image_as_text(processor: type[Any]) -> type[Any]:
    """`processor`, but an image becomes its alt text (or file name) in brackets: nothing is
    ever fetched, from the network or the disk."""

    class AsText(processor):  # type: ignore[misc]
        def handleMatch(self, m: Any, data: str) -> Any:
            element, start, end = super().handleMatch(m, data)
            if element is None:
                return element, start, end
            alt = element.get("alt") or element.get("src", "").rsplit("/", 1)[-1] or "image"
            text = etree.Element("em")
            text.text = f"[image: {alt}]"
            return text, start, end

    return AsText


class _NotesLists(Preprocessor):  # type: ignore[misc]  # markdown ships no types
    def run(self, lines: list[str]) -> list[str]:
        return normalize_lists("\n".join(lines)).split("\n")


def _wrap_code_block(match: re.Match[str]) -> str:
    body = match.group("body").rstrip("\n")
    return (
        f'<table class="code" width="100%" cellpadding="8" cellspacing="0" '
        f'bgcolor="{match.group("bg")}" style="margin: 4px 0;"><tr><td>'
        f"<pre style=\"font-family: 'DejaVu Sans Mono', monospace; margin: 0;\">{body}</pre>"
        "</td></tr></table>"
    )


def markdown_html(text: str, *, dark: bool = False, table_columns: int | None = None) -> str:
    """`text` as an HTML fragment; code coloured for a dark or a light page. With
    `table_columns`, a table with more columns is cut into tables of at most that many, each
    starting with the first column."""
    converter = markdown.Markdown(
        extensions=["fenced_code", "tables", "sane_lists", "codehilite"],
        extension_configs={
            "codehilite": {
                "noclasses": True,
                "guess_lang": False,
                "pygments_style": DARK_CODE_STYLE if dark else LIGHT_CODE_STYLE,
            }
        },
    )
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    patterns = converter.inlinePatterns
    for name, priority in _IMAGE_PATTERNS.items():
        original = patterns[name]
        patterns.register(
            _image_as_text(type(original))(original.pattern, converter), name, priority
        )
    # Before the fenced-code reader (priority 25), so an indented fence is found too.
    converter.preprocessors.register(_NotesLists(converter), "notes_lists", 30)
    # After the inline patterns (priority 20) have made the links, before "prettify" (10).
    converter.treeprocessors.register(DropUnsafeLinks(converter), "drop_unsafe_links", 15)
    if table_columns is not None:
        tables = SplitWideTables(converter, table_columns)
        converter.treeprocessors.register(tables, "split_wide_tables", 14)
    converted = converter.convert(text)
    converted = converted.replace("<table>", '<table class="grid" cellspacing="0">')
    return _CODE_BLOCK.sub(_wrap_code_block, converted)
