"""The four block shapes of interview notes, each turned into a `ParsedQuestion`.

- qa: `**Q<n>**: question` then `**Expected Answer**:` and its body;
- trap: `#### Trap <n>: "title"` with `**Question**:`, `**Wrong Answer**:`, `**Correct Answer**:`;
- story: `#### Story <n>: title` with Scenario / Issue / Impact / ... / Lesson sections;
- concept: a heading and its prose (only when asked for).

A block's lines run from its first line up to (not including) the next `---`, question or
heading; the caller finds that range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.bank.notes_markdown.inline import plain_text, strip_quotes
from desktop.core.bank.notes_markdown.key_points import key_points_from_lines
from desktop.core.bank.notes_markdown.lines import LineKind
from desktop.core.bank.questions import ParsedQuestion, QuestionKind
from desktop.core.errors import NotesFormatError

QUESTION_START = re.compile(r"^\*\*Q(\d+)[.:]?\*\*[ \t]*[:.)]?[ \t]*(.*)$")
TRAP_HEADING = re.compile(r"^Trap[ \t]+(\d+)[ \t]*[:.\-–—]?[ \t]*(.*)$", re.IGNORECASE)
STORY_HEADING = re.compile(r"^Story[ \t]+(\d+)[ \t]*[:.\-–—]?[ \t]*(.*)$", re.IGNORECASE)
_LABEL_LINE = re.compile(r"^\*\*([^*]+?)\*\*[ \t]*(\([^)]*\))?[ \t]*:?[ \t]*(.*)$")

ANSWER_LABELS = frozenset({"expected answer", "answer", "model answer", "reference answer"})
TRAP_QUESTION_LABELS = frozenset({"question"})
TRAP_WRONG_LABELS = frozenset({"wrong answer", "common wrong answer", "incorrect answer"})
TRAP_CORRECT_LABELS = frozenset({"correct answer", "right answer", "answer", "expected answer"})
STORY_SCENARIO_LABELS = frozenset({"scenario", "situation", "context"})
STORY_QUESTION = "What went wrong, and what is the lesson?"


@dataclass(frozen=True)
class _Label:
    index: int
    name: str  # lower case, without a trailing colon
    source: str  # a parenthesised attribution, e.g. "(From the vLLM paper)", or ""
    rest: str  # text after the colon on the same line


def _label_at(line: str, index: int) -> _Label | None:
    if not line.startswith("**"):
        return None
    match = _LABEL_LINE.match(line)
    if not match:
        return None
    name = plain_text(match.group(1)).rstrip(":").strip().lower()
    return _Label(index, name, (match.group(2) or "").strip(), match.group(3).rstrip())


@dataclass(frozen=True)
class _Part:
    """Some lines of a block with their classification, e.g. a reference answer."""

    lines: list[str]
    kinds: list[LineKind]

    def __add__(self, other: _Part) -> _Part:
        return _Part(self.lines + other.lines, self.kinds + other.kinds)

    @property
    def text(self) -> str:
        """The lines as Markdown, without blank lines at either end (inner bytes untouched)."""
        lines = self.lines
        start, end = 0, len(lines)
        while start < end and not lines[start].strip():
            start += 1
        while end > start and not lines[end - 1].strip():
            end -= 1
        return "\n".join(lines[start:end])

    def key_points(self) -> tuple[str, ...]:
        return key_points_from_lines(self.lines, self.kinds)


@dataclass(frozen=True)
class Block:
    """Lines [start, end) of the file (0-based), the topic above them, and the file's name."""

    source: str
    lines: list[str]
    kinds: list[LineKind]
    start: int
    end: int
    topic: tuple[str, ...]

    @property
    def line_number(self) -> int:
        return self.start + 1

    def labels(self) -> list[_Label]:
        """The bold-labelled lines of the block's body, outside code."""
        found = []
        for index in range(self.start + 1, self.end):
            if self.kinds[index] is LineKind.TEXT:
                label = _label_at(self.lines[index], index)
                if label is not None:
                    found.append(label)
        return found

    def span(self, start: int, end: int) -> _Part:
        return _Part(self.lines[start:end], self.kinds[start:end])

    def after(self, label: _Label, stop: int) -> _Part:
        """What a label introduces: the rest of its line and the lines up to `stop`."""
        head = _Part([label.rest], [LineKind.TEXT]) if label.rest else _Part([], [])
        return head + self.span(label.index + 1, stop)

    def fail(self, problem: str, *, line: int | None = None) -> NotesFormatError:
        return NotesFormatError(self.source, problem, line=line or self.line_number)


def parse_qa(block: Block) -> ParsedQuestion:
    lines = block.lines
    match = QUESTION_START.match(lines[block.start])
    assert match is not None
    number = match.group(1)
    answer = next((label for label in block.labels() if label.name in ANSWER_LABELS), None)
    if answer is None:
        raise block.fail(
            f"question Q{number} has no answer: expected an **Expected Answer**: line before "
            "the next ---, question or heading (is the file truncated?)"
        )
    prompt = _Part([match.group(2)], [LineKind.TEXT]) + block.span(block.start + 1, answer.index)
    if not prompt.text:
        raise block.fail(f"question Q{number} has no question text")
    reference = block.after(answer, block.end)
    if not reference.text:
        raise block.fail(
            f"question Q{number} has an empty answer (is the file truncated?)",
            line=answer.index + 1,
        )
    return ParsedQuestion(
        kind=QuestionKind.QA,
        identity=f"qa:Q{number}",
        topic=block.topic,
        prompt=prompt.text,
        reference=reference.text,
        key_points=reference.key_points(),
        line=block.line_number,
    )


def parse_trap(block: Block, number: str) -> ParsedQuestion:
    labels = block.labels()
    wanted = TRAP_QUESTION_LABELS | TRAP_WRONG_LABELS | TRAP_CORRECT_LABELS
    parts = [label for label in labels if label.name in wanted]
    question = next((p for p in parts if p.name in TRAP_QUESTION_LABELS), None)
    wrong = next((p for p in parts if p.name in TRAP_WRONG_LABELS), None)
    correct = next((p for p in parts if p.name in TRAP_CORRECT_LABELS and p is not question), None)
    if question is None:
        raise block.fail(f"Trap {number} has no **Question**: line")
    if correct is None:
        raise block.fail(
            f"Trap {number} has no **Correct Answer**: section (is the file truncated?)"
        )

    def body(label: _Label) -> _Part:
        following = [p.index for p in parts if p.index > label.index]
        return block.after(label, min(following, default=block.end))

    prompt = body(question).text
    answer = body(correct)
    reference = answer.text
    if not prompt:
        raise block.fail(f"Trap {number} has an empty question", line=question.index + 1)
    if not reference:
        raise block.fail(f"Trap {number} has an empty correct answer", line=correct.index + 1)
    if correct.source:
        reference = f"{reference}\n\n*Source: {correct.source.strip('()').strip()}*"
    wrong_answer = strip_quotes(body(wrong).text) if wrong is not None else ""
    return ParsedQuestion(
        kind=QuestionKind.TRAP,
        identity=f"trap:{number}",
        topic=block.topic,
        prompt=prompt,
        reference=reference,
        key_points=answer.key_points(),
        line=block.line_number,
        wrong_answer=wrong_answer or None,
    )


def parse_story(block: Block, number: str, title: str) -> ParsedQuestion:
    labels = block.labels()
    scenario = next((label for label in labels if label.name in STORY_SCENARIO_LABELS), None)
    title_line = f"War story: {title}" if title else f"War story {number}"
    if scenario is None:
        prompt = f"{title_line}\n\n{STORY_QUESTION}"
        rest = block.span(block.start + 1, block.end)
    else:
        after = [label.index for label in labels if label.index > scenario.index]
        stop = min(after, default=block.end)
        scenario_text = block.after(scenario, stop).text
        prompt = f"{title_line}\n\nScenario: {scenario_text}\n\n{STORY_QUESTION}"
        rest = block.span(block.start + 1, scenario.index) + block.span(stop, block.end)
    if not rest.text:
        raise block.fail(
            f"Story {number} tells nothing besides its scenario: expected Issue / Impact / "
            "Lesson sections (is the file truncated?)"
        )
    return ParsedQuestion(
        kind=QuestionKind.STORY,
        identity=f"story:{number}",
        topic=block.topic,
        prompt=prompt,
        reference=rest.text,
        key_points=rest.key_points(),
        line=block.line_number,
    )


_GENERIC_HEADINGS = frozenset({"overview", "introduction", "summary", "background"})


def parse_concept(block: Block, heading: str, path: tuple[str, ...]) -> ParsedQuestion | None:
    """A card for a topic section's prose, or None when the section has no prose of its own."""
    kept = [
        index
        for index in range(block.start + 1, block.end)
        if block.kinds[index] is not LineKind.RULE
    ]
    body = _Part([block.lines[i] for i in kept], [block.kinds[i] for i in kept])
    reference = body.text
    if not reference:
        return None
    parent = path[:-1]
    if heading.lower() in _GENERIC_HEADINGS and parent:
        prompt = f"Give an overview of {parent[-1]}."
    elif parent:
        prompt = f"Explain {heading} ({parent[-1]})."
    else:
        prompt = f"Explain {heading}."
    return ParsedQuestion(
        kind=QuestionKind.CONCEPT,
        identity="concept:" + " > ".join(path),
        topic=path,
        prompt=prompt,
        reference=reference,
        key_points=body.key_points(),
        line=block.line_number,
    )
