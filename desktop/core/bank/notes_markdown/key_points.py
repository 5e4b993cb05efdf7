"""Key points of a reference answer: what a grader checks an answer for.

The points come from the reference's structure: list items (with their nested items folded into
them), bold-labelled lines (`**Gotcha**: ...`) and bold statements. A label that introduces a
list (`**Fixes**:` followed by items) becomes one point, "Fixes: a; b; c", split into several
when that would be too long. Code blocks and tables are never points. A reference without any
of these gives its sentences instead.

Nesting is bounded: `list_too_deep` finds a list nested more than `MAX_LIST_DEPTH` levels (the
notes importer refuses such a file), and the points never nest more than
`MAX_POINT_NESTING` levels (an item deeper than that counts as a sibling of the deepest one),
so no reference, however deep, exhausts the stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.core.bank.notes_markdown.inline import clip, plain_text
from desktop.core.bank.notes_markdown.lines import LineKind, scan

MAX_POINT_CHARS = 200
MAX_SENTENCE_POINTS = 8
MAX_LIST_DEPTH = 16
MAX_POINT_NESTING = 2 * MAX_LIST_DEPTH  # list levels, with the labels and headings between them

_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,3}[.)])[ \t]+(.*)$")
_LABEL = re.compile(r"^\*\*(?P<label>[^*]+?)\*\*(?P<after>.*)$")
_PAREN_THEN_COLON = re.compile(r"^\s*(\([^)]*\))?\s*:\s*(.*)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'`(*])")
_NORMALISE = re.compile(r"[^0-9a-z]+")


@dataclass
class _Node:
    head: str
    level: float
    standalone: bool  # a point even without children (items, labels with text, statements)
    children: list[_Node] = field(default_factory=list)


def _indent(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4
        else:
            break
    return width


def _label(text: str) -> tuple[str, bool] | None:
    """`**Label** (src): rest` -> ("Label (src): rest", True); `**Label**:` -> ("Label", False);
    `**Bold statement!**` -> ("Bold statement!", True). None when the line is not one."""
    match = _LABEL.match(text)
    if not match:
        return None
    label = plain_text(match.group("label"))
    after = match.group("after")
    colon = _PAREN_THEN_COLON.match(after)
    if label.endswith(":") or colon:
        label = label.rstrip(":").strip()
        source = colon.group(1) if colon else None
        rest = plain_text(colon.group(2) if colon else after)
        if source:
            label = f"{label} {source}"
        return (f"{label}: {rest}", True) if rest else (label, False)
    rest = plain_text(after)
    if label.endswith("?"):
        return (f"{label} {rest}", True) if rest else (label, False)
    return (f"{label} {rest}".strip(), True)


def _tree(lines: list[str], kinds: list[LineKind]) -> tuple[list[_Node], list[str]]:
    roots: list[_Node] = []
    paragraphs: list[str] = []
    stack: list[_Node] = []
    previous = LineKind.BLANK

    def place(node: _Node) -> None:
        while stack and (stack[-1].level >= node.level or len(stack) >= MAX_POINT_NESTING):
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    for line, kind in zip(lines, kinds, strict=True):
        if kind in (LineKind.CODE, LineKind.FENCE, LineKind.BLANK):
            previous = kind if kind is LineKind.BLANK else previous
            continue
        if kind in (LineKind.RULE, LineKind.HEADING):
            stack.clear()
            if kind is LineKind.HEADING:
                text = plain_text(line.strip().lstrip("#"))
                if text:
                    place(_Node(text.rstrip(":"), -0.5, False))
            previous = kind
            continue
        indent = _indent(line)
        text = line.strip()
        if text.startswith("|"):
            previous = kind
            continue
        text = text.lstrip("> ").strip() if text.startswith(">") else text
        item = _LIST_ITEM.match(line)
        if item:
            place(_Node(plain_text(item.group(2)).rstrip(":").strip(), indent, True))
        elif (label := _label(text)) is not None:
            place(_Node(label[0], indent - 0.5, label[1]))
        elif stack and (indent > 0 or previous is LineKind.TEXT):
            # A continuation line of the item or label above it.
            stack[-1].head = f"{stack[-1].head} {plain_text(text)}".strip()
        else:
            stack.clear()
            plain = plain_text(text)
            paragraphs.append(plain)
            if plain.endswith(":"):
                place(_Node(plain.rstrip(":").strip(), indent - 0.5, False))
        previous = kind
    return roots, paragraphs


def list_too_deep(
    lines: list[str], kinds: list[LineKind], limit: int = MAX_LIST_DEPTH
) -> int | None:
    """The index of the first list item nested more than `limit` levels deep (each level
    indented further than the one above it), or None."""
    indents: list[int] = []
    for index, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind in (LineKind.HEADING, LineKind.RULE):
            indents.clear()
        if kind is not LineKind.TEXT:
            continue
        indent = _indent(line)
        if _LIST_ITEM.match(line) is None:
            if indent == 0:
                indents.clear()  # a paragraph ends the list
            continue
        while indents and indents[-1] >= indent:
            indents.pop()
        indents.append(indent)
        if len(indents) > limit:
            return index
    return None


def _merge(head: str, leaves: list[str]) -> list[str]:
    """ "head: a; b; c" in as few points of at most MAX_POINT_CHARS as the leaves allow."""
    head = head[:-1] if head.endswith(".") and not head.endswith("..") else head
    joiner = " " if head.endswith("?") else ": "
    points: list[str] = []
    current: list[str] = []
    for leaf in leaves:
        leaf = leaf[:-1] if leaf.endswith(".") and not leaf.endswith("..") else leaf
        candidate = head + joiner + "; ".join([*current, leaf])
        if current and len(candidate) > MAX_POINT_CHARS:
            points.append(head + joiner + "; ".join(current))
            current = [leaf]
        else:
            current.append(leaf)
    if current:
        points.append(clip(head + joiner + "; ".join(current), MAX_POINT_CHARS))
    return points


def claim_parts(point: str) -> tuple[str, ...]:
    """The claims a folded point makes, each with its head ("Head: a; b" gives "Head: a" and
    "Head: b"), so each can be checked on its own; a point without parts is one claim."""
    if "; " not in point:
        return (point,)
    first_part = point.index("; ")
    head, joiner, rest = "", "", point
    for separator in (": ", "? "):
        at = point.find(separator, 0, first_part)
        if at > 0:
            head, joiner, rest = point[:at], separator.rstrip() + " ", point[at + len(separator) :]
            break
    parts = [part.strip() for part in rest.split("; ") if part.strip()]
    return tuple(f"{head}{joiner}{part}" for part in parts) or (point,)


def _emit(node: _Node, out: list[str]) -> None:
    """A node's points: its head with its leaf children folded in, then deeper children.

    When leaves follow a child that has children of its own, folding them into the head would
    reorder the answer; then every child stands alone instead.
    """
    children = [child for child in node.children if child.head or child.children]
    first_branch = next((i for i, c in enumerate(children) if c.children), len(children))
    if any(not child.children for child in children[first_branch:]):
        if node.head and node.standalone:
            out.append(clip(node.head, MAX_POINT_CHARS))
        for child in children:
            if child.children:
                _emit(child, out)
            else:
                out.append(clip(child.head, MAX_POINT_CHARS))
        return
    leaves = [child.head for child in children[:first_branch]]
    if node.head and leaves:
        out.extend(_merge(node.head, leaves))
    elif node.head and node.standalone:
        out.append(clip(node.head, MAX_POINT_CHARS))
    else:
        out.extend(clip(leaf, MAX_POINT_CHARS) for leaf in leaves)
    for child in children[first_branch:]:
        _emit(child, out)


def _sentences(paragraphs: list[str]) -> list[str]:
    found: list[str] = []
    for paragraph in paragraphs:
        for sentence in _SENTENCE_END.split(paragraph):
            sentence = sentence.strip()
            if len(sentence) >= 3:
                found.append(clip(sentence, MAX_POINT_CHARS))
    return found[:MAX_SENTENCE_POINTS]


def extract_key_points(reference: str) -> tuple[str, ...]:
    """The key points of a Markdown reference answer, short, in order, without duplicates."""
    scanned = scan(reference)
    return key_points_from_lines(scanned.lines, scanned.kinds)


def key_points_from_lines(lines: list[str], kinds: list[LineKind]) -> tuple[str, ...]:
    """`extract_key_points` for lines the importer has already classified."""
    roots, paragraphs = _tree(lines, kinds)
    points: list[str] = []
    for root in roots:
        _emit(root, points)
    if not points:
        points = _sentences(paragraphs)
    seen: set[str] = set()
    unique: list[str] = []
    for point in points:
        key = _NORMALISE.sub(" ", point.lower()).strip()
        if key and key not in seen:
            seen.add(key)
            unique.append(point)
    return tuple(unique)
