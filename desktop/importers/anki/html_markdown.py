"""An Anki field's HTML as the Markdown the app renders: bold and italics, line breaks and
paragraphs, lists, code blocks from `<pre>`, links by their text, images by their alt text or
file name (never loaded), everything else as its text. Entities are decoded; raw HTML never
survives as markup.

Lists nest up to `MAX_LIST_DEPTH` levels, as in Markdown notes; the items of a list nested
deeper are kept, flattened to that level (as siblings of the deepest items), so no words of the
note are lost and the note is not refused. The conversion takes time linear in the field's
length, however deep its tags nest: the output is only appended to (the newlines and spaces at
its end are counted as it grows) and no line is indented past the deepest level.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from desktop.core.bank.notes_markdown.key_points import MAX_LIST_DEPTH

_BLOCKS = frozenset({"div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table"})
_SKIPPED = frozenset({"script", "style", "head", "title"})


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [is_ordered, next number]
        self.pre = 0
        self.skip = 0
        # The end of the output: its spaces, and the newlines just before them.
        self.spaces = 0
        self.newlines = 0

    def _emit(self, piece: str) -> None:
        if not piece:
            return
        text = piece.rstrip(" ")
        if not text:
            self.spaces += len(piece)
        else:
            lines = text.rstrip("\n")
            ends = len(text) - len(lines)
            self.newlines = ends + self.newlines if not lines and not self.spaces else ends
            self.spaces = len(piece) - len(text)
        self.out.append(piece)

    def _newline(self, blank: bool = False) -> None:
        """Ends the line (with `blank`, the paragraph): the spaces at the end of the output are
        dropped and newlines added up to the number needed."""
        if not self.out:
            return
        needed = 2 if blank else 1
        if self.newlines >= needed:
            return
        while self.spaces:
            last = self.out.pop()
            kept = last[: max(len(last) - self.spaces, 0)]
            self.spaces -= len(last) - len(kept)
            if kept:
                self.out.append(kept)
        self.out.append("\n" * (needed - self.newlines))
        self.newlines = needed

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skip += 1
            return
        if self.pre:
            return
        named = dict(attrs)
        if tag in ("b", "strong"):
            self._emit("**")
        elif tag in ("i", "em"):
            self._emit("*")
        elif tag == "br":
            self._emit("\n")
        elif tag in _BLOCKS:
            self._newline(blank=not self.lists)
        elif tag in ("ul", "ol"):
            self._newline(blank=not self.lists)
            self.lists.append([tag == "ol", 1])
        elif tag == "li":
            self._newline()
            depth = max(min(len(self.lists), MAX_LIST_DEPTH) - 1, 0)
            ordered, number = self.lists[-1] if self.lists else (False, 1)
            marker = f"{number}." if ordered else "-"
            if self.lists:
                self.lists[-1][1] += 1
            self._emit("    " * depth + marker + " ")
        elif tag == "pre":
            self._newline(blank=True)
            self._emit("```\n")
            self.pre += 1
        elif tag == "code":
            self._emit("`")
        elif tag == "img":
            source = (named.get("src") or "").rsplit("/", 1)[-1]
            alt = named.get("alt") or source or "image"
            self._emit(f"[image: {alt}]")
        elif tag == "hr":
            self._newline(blank=True)
            self._emit("---")
            self._newline(blank=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
            if not self.pre:
                self._newline()
                self._emit("```")
                self._newline(blank=True)
            return
        if self.pre:
            return
        if tag in ("b", "strong"):
            self._emit("**")
        elif tag in ("i", "em"):
            self._emit("*")
        elif tag == "code":
            self._emit("`")
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
            self._emit(data)
            return
        self._emit(re.sub(r"\s+", " ", data))


def html_to_markdown(html: str) -> str:
    converter = _Converter()
    converter.feed(html)
    converter.close()
    text = "".join(converter.out).replace("\xa0", " ")
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    text = re.sub(r"\*\*\s*\*\*", "", text)  # an empty bold
    return re.sub(r"\n{3,}", "\n\n", text).strip()
