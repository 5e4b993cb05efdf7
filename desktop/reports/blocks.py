"""The printable report as a list of blocks (headings, figures, tables, charts, notes).

`sections.py` decides what the report says; the PDF and HTML writers only decide how blocks
look, so both formats always say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from desktop.core.reports.service import ChartKind


@dataclass(frozen=True)
class Heading:
    """Level 1 starts a section, on a new page in print when `new_page`; level 2 a part of one."""

    text: str
    level: int = 1
    new_page: bool = True


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False


@dataclass(frozen=True)
class Figures:
    """Headline numbers: (label, value) pairs shown as a grid of tiles."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Column:
    title: str
    weight: float = 1.0
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    empty_text: str = "Nothing to list."


@dataclass(frozen=True)
class Chart:
    """A chart `aspect` times as tall as it is wide."""

    kind: ChartKind
    title: str
    aspect: float = 0.36


@dataclass(frozen=True)
class Markdown:
    """Text as the learner wrote it (a question, a reference answer), rendered from Markdown."""

    text: str


Block = Heading | Paragraph | Figures | Table | Chart | Markdown


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: tuple[str, ...]
    blocks: tuple[Block, ...]


def _block_texts(block: Block, change: Callable[[str], str]) -> Block:
    if isinstance(block, Figures):
        return Figures(tuple((change(label), change(value)) for label, value in block.items))
    if isinstance(block, Table):
        return replace(
            block,
            columns=tuple(replace(column, title=change(column.title)) for column in block.columns),
            rows=tuple(tuple(map(change, row)) for row in block.rows),
            empty_text=change(block.empty_text),
        )
    if isinstance(block, Chart):
        return replace(block, title=change(block.title))
    return replace(block, text=change(block.text))


def map_texts(document: Document, change: Callable[[str], str]) -> Document:
    """`document` with `change` applied to each of its texts (titles, cells, Markdown)."""
    return Document(
        change(document.title),
        tuple(map(change, document.subtitle)),
        tuple(_block_texts(block, change) for block in document.blocks),
    )
