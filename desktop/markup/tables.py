"""Wide tables cut into several narrower ones, for a page that cannot scroll sideways.

Each part keeps the table's first column (usually what the rows are about) and takes up to
`columns - 1` of the others, in order, so every cell appears exactly once besides the first
column's.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor


def _width(table: etree.Element) -> int:
    return max((len(row) for row in table.iter("tr")), default=0)


def _part(table: etree.Element, first: int, stop: int) -> etree.Element:
    """A copy of `table` with its first column and columns `first` to `stop - 1`."""
    part = etree.Element(table.tag, dict(table.attrib))
    part.text, part.tail = table.text, table.tail
    for section in table:
        copied = etree.SubElement(part, section.tag, dict(section.attrib))
        copied.text, copied.tail = section.text, section.tail
        for row in section:
            new_row = etree.SubElement(copied, row.tag, dict(row.attrib))
            new_row.text, new_row.tail = row.text, row.tail
            cells = list(row)
            new_row.extend(copy.deepcopy(cell) for cell in cells[:1] + cells[first:stop])
    return part


def split_table(table: etree.Element, columns: int) -> list[etree.Element]:
    """`table` as tables of at most `columns` columns (at least 2), the first repeated in each."""
    width = _width(table)
    if width <= columns:
        return [table]
    step = max(columns - 1, 1)
    return [_part(table, first, first + step) for first in range(1, width, step)]


class SplitWideTables(Treeprocessor):  # type: ignore[misc]  # markdown ships no types
    def __init__(self, md: Markdown, columns: int) -> None:
        super().__init__(md)
        self.columns = columns

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index in reversed(range(len(parent))):
                parts = (
                    split_table(parent[index], self.columns) if parent[index].tag == "table" else []
                )
                if len(parts) > 1:
                    parent[index : index + 1] = parts
