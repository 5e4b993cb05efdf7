"""Markdown interview notes -> `ParsedNotes`.

One pass classifies the lines (code, headings, rules); a second walks the block boundaries
(headings, `---` rules and `**Q<n>**` lines) keeping the heading path, and hands each block to
its shape in `blocks`. A file's single level-1 heading is its title and is left out of topic
paths, so a question under `## 13.1 PyTorch` / `### Autograd Mechanism` gets the topic
"13.1 PyTorch > Autograd Mechanism". A line that looks like a question's start but is not read as
one becomes a warning (`suspects`). The questions' identities are their numbers, so an import
matches them to stored questions by their text (`ParsedNotes.identity_by_content`).
"""

from __future__ import annotations

import bisect
import hashlib
from pathlib import Path

from desktop.core.bank.notes_markdown.inline import plain_text, strip_quotes
from desktop.core.bank.notes_markdown.key_points import MAX_LIST_DEPTH, list_too_deep
from desktop.core.bank.notes_markdown.lines import Heading, LineKind, ScannedLines, scan
from desktop.core.bank.questions import ParsedNotes, ParsedQuestion
from desktop.core.errors import NotesFormatError
from desktop.importers.blocks import (
    QUESTION_START,
    STORY_HEADING,
    TRAP_HEADING,
    Block,
    parse_concept,
    parse_qa,
    parse_story,
    parse_trap,
)
from desktop.importers.reading import MAX_NOTES_BYTES, read_notes
from desktop.importers.suspects import ReadBlock, malformed_headings


def parse_notes_file(
    path: Path, *, include_concepts: bool = False, max_bytes: int = MAX_NOTES_BYTES
) -> ParsedNotes:
    """Reads and parses one notes file; raises `NotesFormatError` naming the file and line."""
    notes = read_notes(path, max_bytes=max_bytes)
    return parse_notes_text(
        notes.text,
        source=str(path),
        content_hash=notes.content_hash,
        default_title=path.stem,
        include_concepts=include_concepts,
    )


def _title(scanned: ScannedLines) -> Heading | None:
    top = [heading for heading in scanned.headings if heading.level == 1]
    first = scanned.headings[0] if scanned.headings else None
    if len(top) == 1 and first is top[0] and first.text:
        return first
    return None


class _Walker:
    """Walks the block boundaries of one scanned file, collecting questions."""

    def __init__(self, scanned: ScannedLines, source: str, include_concepts: bool) -> None:
        self.scanned = scanned
        self.source = source
        self.include_concepts = include_concepts
        self.title = _title(scanned)
        lines, kinds = scanned.lines, scanned.kinds
        self.question_starts = [
            index
            for index, line in enumerate(lines)
            if kinds[index] is LineKind.TEXT
            and line.startswith("**Q")
            and QUESTION_START.match(line)
        ]
        self.heading_at = {heading.index: heading for heading in scanned.headings}
        rules = [index for index, kind in enumerate(kinds) if kind is LineKind.RULE]
        self.boundaries = sorted({*self.question_starts, *self.heading_at, *rules})
        self.heading_indices = [heading.index for heading in scanned.headings]
        self.questions: list[ParsedQuestion] = []
        self.read_blocks: list[ReadBlock] = []
        self._seen: dict[str, int] = {}

    def _next(self, positions: list[int], after: int) -> int:
        found = bisect.bisect_right(positions, after)
        return positions[found] if found < len(positions) else len(self.scanned.lines)

    def _block(self, start: int, end: int, topic: tuple[str, ...]) -> Block:
        return Block(self.source, self.scanned.lines, self.scanned.kinds, start, end, topic)

    def _add(self, question: ParsedQuestion) -> None:
        # Notes often restart numbering per section: the second "Q1" becomes "qa:Q1#2".
        count = self._seen.get(question.identity, 0) + 1
        self._seen[question.identity] = count
        if count > 1:
            question = ParsedQuestion(
                kind=question.kind,
                identity=f"{question.identity}#{count}",
                topic=question.topic,
                prompt=question.prompt,
                reference=question.reference,
                key_points=question.key_points,
                line=question.line,
                wrong_answer=question.wrong_answer,
                tags=question.tags,
            )
        self.questions.append(question)

    def walk(self) -> list[ParsedQuestion]:
        path: list[tuple[int, str]] = []
        question_set = set(self.question_starts)
        first = self.boundaries[0] if self.boundaries else len(self.scanned.lines)
        self.read_blocks.append(ReadBlock(self._block(0, first, ()), None, leading=True))
        for index in self.boundaries:
            end = self._next(self.boundaries, index)
            if index in question_set:
                topic = tuple(text for _, text in path)
                block = self._block(index, end, topic)
                self._add(parse_qa(block))
                number = self.questions[-1].identity.removeprefix("qa:")
                self.read_blocks.append(ReadBlock(block, f"the answer to {number}", is_qa=True))
                continue
            heading = self.heading_at.get(index)
            if heading is None:
                self.read_blocks.append(ReadBlock(self._block(index, end, ()), None))
                continue  # a rule: it only ends blocks
            text = plain_text(heading.text)
            while path and path[-1][0] >= heading.level:
                path.pop()
            topic = tuple(text for _, text in path)
            block = self._block(index, end, topic)
            trap = TRAP_HEADING.match(text)
            story = STORY_HEADING.match(text) if trap is None else None
            owner: str | None = None
            if trap:
                self._add(parse_trap(block, trap.group(1)))
                owner = f"Trap {trap.group(1)}"
            elif story:
                title = strip_quotes(story.group(2))
                self._add(parse_story(block, story.group(1), title))
                owner = f"Story {story.group(1)}"
            self.read_blocks.append(ReadBlock(block, owner))
            if heading is self.title or trap or story:
                continue  # a question's own heading is not a topic
            path.append((heading.level, text))
            if self.include_concepts and text:
                self._concept(heading, text, tuple(t for _, t in path))
        return self.questions

    def _concept(self, heading: Heading, text: str, path: tuple[str, ...]) -> None:
        end = self._next(self.heading_indices, heading.index)
        if self._next(self.question_starts, heading.index) < end:
            return  # a section of questions, not of prose
        concept = parse_concept(self._block(heading.index, end, path[:-1]), text, path)
        if concept is not None:
            self._add(concept)


def parse_notes_text(
    text: str,
    *,
    source: str = "<notes>",
    content_hash: str | None = None,
    default_title: str = "",
    include_concepts: bool = False,
) -> ParsedNotes:
    """Parses notes already in memory; `source` names them in errors and provenance."""
    if not text.strip():
        raise NotesFormatError(source, "is empty")
    scanned = scan(text)
    if scanned.unclosed_fence is not None:
        raise NotesFormatError(
            source,
            "a code block (```) opened here is never closed (is the file truncated?)",
            line=scanned.unclosed_fence + 1,
        )
    too_deep = list_too_deep(scanned.lines, scanned.kinds)
    if too_deep is not None:
        raise NotesFormatError(
            source,
            f"a list is nested more than {MAX_LIST_DEPTH} levels deep here; notes may nest "
            f"lists up to {MAX_LIST_DEPTH} levels: flatten it and import again",
            line=too_deep + 1,
        )
    walker = _Walker(scanned, source, include_concepts)
    questions = walker.walk()
    if not questions:
        raise NotesFormatError(
            source,
            "contains no questions: expected `**Q1**: ...` with `**Expected Answer**:`, "
            "`#### Trap 1: ...` or `#### Story 1: ...` blocks",
        )
    title_heading = walker.title
    title = plain_text(title_heading.text) if title_heading else default_title or source
    return ParsedNotes(
        path=source,
        title=title,
        content_hash=content_hash or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        questions=tuple(questions),
        concepts_included=include_concepts,
        identity_by_content=True,
        warnings=tuple(malformed_headings(walker.read_blocks)),
    )
