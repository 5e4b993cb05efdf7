"""The report as one self-contained HTML file: inline CSS, charts as inline SVG, no scripts.

Nothing in it points outside the file (no links to fonts, styles or images), and a Content
Security Policy forbids the browser to fetch anything even if a question's text contained markup.
"""

from __future__ import annotations

from html import escape

from desktop.core.reports.report import ProgressReport
from desktop.core.reports.service import ChartStyle, ProgressCallback
from desktop.markup.html import markdown_html
from desktop.reports.blocks import (
    Block,
    Chart,
    Document,
    Figures,
    Heading,
    Markdown,
    Paragraph,
    Table,
)
from desktop.reports.export.fonts import print_font_family
from desktop.reports.export.svg import chart_svg
from desktop.reports.sections import report_document

CHART_FONT_SIZE = 9.0
NUMERIC = ' class="num"'
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
  color: #1f2328; margin: 0 auto; max-width: 60rem; padding: 2rem 1.5rem; line-height: 1.45; }
h1 { font-size: 1.9rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; margin: 2.4rem 0 .8rem; padding-bottom: .3rem;
  border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .5rem; }
.subtitle { color: #57606a; margin: 0; font-size: .92rem; }
.note { color: #57606a; font-size: .88rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr));
  gap: .5rem; margin: .8rem 0; }
.figure { background: #f3f5f7; border-radius: 6px; padding: .5rem .75rem; }
.figure .value { font-size: 1.35rem; font-weight: 600; display: block; }
.figure .label { color: #57606a; font-size: .8rem; }
figure { margin: 1rem 0 1.5rem; }
figcaption { font-weight: 600; margin-bottom: .35rem; }
figure svg { width: 100%; height: auto; display: block; }
figure svg text { font-family: "DejaVu Sans", Verdana, sans-serif; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: .4rem 0 1rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #d0d7de;
  vertical-align: top; }
th { background: #eaeef2; }
tbody tr:nth-child(even) { background: #f8f9fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.md { border-left: 3px solid #d0d7de; padding: .1rem 0 .1rem .9rem; margin: .3rem 0 1rem; }
.md table.grid th, .md table.grid td { border: 1px solid #d0d7de; }
.md table.code { margin: .4rem 0; font-size: .85rem; }
.md table.code td { border: none; padding: .6rem .8rem; }
.md pre { white-space: pre-wrap; }
@media print { body { max-width: none; padding: 0; } h2 { break-before: page; }
  h2:first-of-type { break-before: auto; } tr, figure { break-inside: avoid; } }
"""


def _block_html(block: Block, report: ProgressReport) -> str:
    if isinstance(block, Heading):
        tag = "h2" if block.level == 1 else "h3"
        return f"<{tag}>{escape(block.text)}</{tag}>"
    if isinstance(block, Paragraph):
        css = ' class="note"' if block.note else ""
        return f"<p{css}>{escape(block.text)}</p>"
    if isinstance(block, Figures):
        tiles = "".join(
            f'<div class="figure"><span class="value">{escape(value)}</span>'
            f'<span class="label">{escape(label)}</span></div>'
            for label, value in block.items
        )
        return f'<div class="figures">{tiles}</div>'
    if isinstance(block, Table):
        return _table_html(block)
    if isinstance(block, Markdown):
        return f'<div class="md">{markdown_html(block.text)}</div>'
    return _chart_html(block, report)


def _table_html(table: Table) -> str:
    if not table.rows:
        return f'<p class="note">{escape(table.empty_text)}</p>'
    numeric = [column.numeric for column in table.columns]
    head = "".join(
        f'<th{NUMERIC if c.numeric else ""} scope="col">{escape(c.title)}</th>'
        for c in table.columns
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{NUMERIC if num else ''}>{escape(cell)}</td>"
            for cell, num in zip(row, numeric, strict=True)
        )
        + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart_html(chart: Chart, report: ProgressReport) -> str:
    # Labels are measured in the print font; the CSS above asks browsers for it (or a font
    # as wide), so the labels keep the room they were measured for.
    style = ChartStyle(font_family=print_font_family(), font_point_size=CHART_FONT_SIZE)
    svg = chart_svg(chart.kind, report, style, aspect=chart.aspect, title=chart.title)
    return f"<figure><figcaption>{escape(chart.title)}</figcaption>{svg}</figure>"


def render_html(report: ProgressReport, on_progress: ProgressCallback | None = None) -> bytes:
    document: Document = report_document(report)
    parts = []
    for index, block in enumerate(document.blocks):
        parts.append(_block_html(block, report))
        if on_progress:
            on_progress(0.9 * (index + 1) / len(document.blocks), "Writing the page")
    subtitle = "".join(f'<p class="subtitle">{escape(line)}</p>' for line in document.subtitle)
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(document.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(document.title)}</h1>{subtitle}</header>\n<main>\n"
        + "\n".join(parts)
        + "\n</main>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")
