"""An Anki field's HTML as the Markdown the app renders: bold and italics, line breaks and
paragraphs, lists, code blocks from `<pre>`, links by their text, images by their alt text or
file name (never loaded), everything else as its text. Entities are decoded; raw HTML never
survives as markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table"})
_SKIPPED = frozenset({"script", "style", "head", "title"})


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [is_ordered, next number]
        self.pre = 0
        self.skip = 0

    def _newline(self, blank: bool = False) -> None:
        text = "".join(self.out)
        if not text:
            return
        needed = "\n\n" if blank else "\n"
        stripped = text.rstrip(" ")
        trailing = len(stripped) - len(stripped.rstrip("\n"))
        if trailing < len(needed):
            self.out = [stripped, "\n" * (len(needed) - trailing)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skip += 1
            return
        if self.pre:
            return
        named = dict(attrs)
        if tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "br":
            self.out.append("\n")
        elif tag in _BLOCKS:
            self._newline(blank=not self.lists)
        elif tag in ("ul", "ol"):
            self._newline(blank=not self.lists)
            self.lists.append([tag == "ol", 1])
        elif tag == "li":
            self._newline()
            depth = max(len(self.lists) - 1, 0)
            ordered, number = self.lists[-1] if self.lists else (False, 1)
            marker = f"{number}." if ordered else "-"
            if self.lists:
                self.lists[-1][1] += 1
            self.out.append("    " * depth + marker + " ")
        elif tag == "pre":
            self._newline(blank=True)
            self.out.append("```\n")
            self.pre += 1
        elif tag == "code":
            self.out.append("`")
        elif tag == "img":
            source = (named.get("src") or "").rsplit("/", 1)[-1]
            alt = named.get("alt") or source or "image"
            self.out.append(f"[image: {alt}]")
        elif tag == "hr":
            self._newline(blank=True)
            self.out.append("---")
            self._newline(blank=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
            if not self.pre:
                self._newline()
                self.out.append("```")
                self._newline(blank=True)
            return
        if self.pre:
            return
        if tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "code":
            self.out.append("`")
        elif tag in _BLOCKS:
            self._newline(blank=not self.lists)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._newline(blank=not self.lists)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            self.out.append(data)
            return
        self.out.append(re.sub(r"\s+", " ", data))


def html_to_markdown(html: str) -> str:
    converter = _Converter()
    converter.feed(html)
    converter.close()
    text = "".join(converter.out).replace("\xa0", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\*\*\s*\*\*", "", text)  # an empty bold
    return re.sub(r"\n{3,}", "\n\n", text).strip()
