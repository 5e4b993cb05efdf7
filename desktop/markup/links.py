"""Links kept only where they lead to a web page or an e-mail address.

A link to `javascript:`, `data:`, `vbscript:`, `file:` or any other scheme, and a link with no
scheme at all, is shown as its text. The scheme is read the way a browser reads it, and then
some: character references decoded, whitespace and control characters dropped wherever they
are, case folded. So ` JaVaScRiPt:`, `java<TAB>script:` and `&#106;avascript:` all read
`javascript:`.
"""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def _invisible(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) in {"Cc", "Cf"}


def link_scheme(href: str) -> str | None:
    """The scheme `href` would be opened with, lower case; None for a relative address."""
    # Python-Markdown writes an e-mail address as character references behind a placeholder.
    decoded = html.unescape(href.replace(AMP_SUBSTITUTE, "&"))
    compact = "".join(c for c in decoded if not _invisible(c)).casefold()
    found = _SCHEME.match(compact)
    return found.group(1) if found else None


def is_safe_link(href: str) -> bool:
    return link_scheme(href) in SAFE_SCHEMES


class DropUnsafeLinks(Treeprocessor):  # type: ignore[misc]  # markdown ships no types
    """Every `<a>` whose address is not a safe link becomes a bare `<span>` of its text."""

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            if not is_safe_link(link.get("href", "")):
                link.tag = "span"
                link.attrib.clear()
