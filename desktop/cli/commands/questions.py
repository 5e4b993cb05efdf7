"""`import` and `questions`: filling the question bank from notes files and listing it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

from desktop.cli.context import EXIT_OK, CliContext, add_common_options, add_json_option, print_json
from desktop.core.bank.questions import ImportSummary, Question, QuestionKind, QuestionStatus
from desktop.core.bank.retiring import (
    QUIET_RETIRED_SHARE,
    QUIET_RETIREMENTS,
    RetirementNotConfirmed,
)
from desktop.core.bank.store import ALL_STATUSES, QuestionFilter
from desktop.core.errors import VivaError
from desktop.services.notes_import import apply_notes, parse_files

_STATUS_CHOICES = [status.value for status in QuestionStatus] + ["all"]


def register(subparsers: Any) -> None:
    importer = subparsers.add_parser(
        "import",
        help="import Markdown interview notes into the question bank",
        description="Import Markdown interview notes. Re-importing a file updates its questions "
        "in place (their history stays) and retires questions no longer in it. A question is "
        "found by its text, not its number, so a renumbered question keeps its history. An "
        "import that would retire many questions of a deck is refused without --allow-retire.",
    )
    add_common_options(importer)
    add_json_option(importer)
    importer.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a notes file")
    importer.add_argument(
        "--dry-run", action="store_true", help="show what would change without changing anything"
    )
    importer.add_argument(
        "--concepts",
        action="store_true",
        help="also make concept cards from the notes' topic sections (kind 'concept')",
    )
    importer.add_argument(
        "--deck",
        metavar="NAME",
        help="name the deck (one file only); by default a deck is named from the notes' title, "
        "and notes already in the bank under another file name update their deck",
    )
    importer.add_argument(
        "--with-history",
        action="store_true",
        help="for Anki packages, also bring each card's review history (its due date follows)",
    )
    importer.add_argument(
        "--overwrite-edits",
        action="store_true",
        help="take the notes' version of questions you edited in the app",
    )
    importer.add_argument(
        "--allow-retire",
        action="store_true",
        help=f"retire the questions no longer in the notes even when that is more than "
        f"{QUIET_RETIREMENTS} of a deck or more than {QUIET_RETIRED_SHARE:.0%}% of it (without "
        "it such an import is refused and nothing is changed)",
    )
    importer.set_defaults(handler=run_import)

    questions = subparsers.add_parser("questions", help="list the questions in the bank")
    add_common_options(questions)
    add_json_option(questions)
    questions.add_argument("--kind", choices=[kind.value for kind in QuestionKind])
    questions.add_argument("--topic", metavar="TEXT", help="text in the topic path")
    questions.add_argument("--deck", metavar="NAME", help="one deck, by name")
    questions.add_argument("--tag", metavar="TAG")
    questions.add_argument(
        "--status",
        choices=_STATUS_CHOICES,
        help="one status, or all (default: active and suspended)",
    )
    questions.add_argument(
        "--search", metavar="TEXT", help="words that must all appear in the prompt or answer"
    )
    questions.set_defaults(handler=run_questions)


def _print_summary(summary: ImportSummary) -> None:
    kinds = ", ".join(f"{count} {kind}" for kind, count in summary.by_kind.items() if count)
    prefix = "Would import" if summary.dry_run else "Imported"
    print(f"{prefix} {len(summary.files)} file(s): {kinds or 'no questions'}")
    print(
        f"added {summary.added}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"retired {summary.retired}, reactivated {summary.reactivated}, "
        f"kept edits {summary.kept_edits}, renumbered {summary.renumbered}"
    )
    for target in summary.decks:
        where = "new deck" if target.is_new else "deck"
        renamed = f" (renamed from {target.previous_name})" if target.previous_name else ""
        print(f"{Path(target.path).name} -> {where} {target.name}{renamed}")
    for warning in summary.warnings:
        print(f"Warning: {warning}")
    if summary.large_retirements:
        retired = sum(item.retired for item in summary.large_retirements)
        print(
            f"Warning: importing retires {retired} question(s): "
            + "; ".join(item.sentence() for item in summary.large_retirements)
            + ". It needs --allow-retire."
        )
    for change in summary.changes:
        print(f"  {change}")
    if summary.dry_run:
        print("Dry run: nothing was changed.")


def run_import(args: argparse.Namespace, context: CliContext) -> int:
    # Every file is read and checked before the database is even opened: a bad file leaves
    # the database exactly as it was.
    notes = parse_files(args.paths, include_concepts=args.concepts)
    if args.deck is not None and len(notes) != 1:
        raise VivaError(
            "--deck names the deck of one file (an Anki package may hold several decks): "
            "import them one at a time."
        )
    try:
        summary = apply_notes(
            context.viva.database,
            notes,
            dry_run=args.dry_run,
            overwrite_edits=args.overwrite_edits,
            deck_names={notes[0].path: args.deck} if args.deck else None,
            anki_history=args.with_history,
            allow_retire=args.allow_retire,
        )
    except RetirementNotConfirmed as refused:
        raise VivaError(
            f"{refused.message} If the notes are as you want them, import again with "
            f"--allow-retire to retire the {refused.retired} question(s) (their history is "
            "kept, and they come back when the notes hold them again); --dry-run lists them."
        ) from None
    if args.json:
        print_json(summary.as_json())
    else:
        _print_summary(summary)
    return EXIT_OK


def question_json(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "kind": question.kind.value,
        "topic": question.topic,
        "prompt": question.prompt,
        "deck": question.deck,
        "identity": question.identity,
        "status": question.status.value,
        "reference": question.reference,
        "key_points": list(question.key_points),
        "wrong_answer": question.wrong_answer,
        "tags": list(question.tags),
        "source_file": question.source_file,
        "source_line": question.source_line,
        "edited": question.edited,
    }


def _one_line(text: str, width: int, *, keep_end: bool = False) -> str:
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    return "…" + line[-(width - 1) :] if keep_end else line[: width - 1] + "…"


def run_questions(args: argparse.Namespace, context: CliContext) -> int:
    statuses = QuestionFilter().statuses
    if args.status == "all":
        statuses = ALL_STATUSES
    elif args.status is not None:
        statuses = frozenset({QuestionStatus(args.status)})
    filters = QuestionFilter(
        deck=args.deck,
        topic_contains=args.topic,
        tag=args.tag,
        kind=QuestionKind(args.kind) if args.kind else None,
        statuses=statuses,
        search=args.search,
    )
    bank = context.viva.bank
    # Read in chunks and written as read: a bank of any size lists in the same memory.
    with closing(bank.iter_questions(filters)) as found:
        if args.json:
            _write_json_list(question_json(question) for question in found)
            return EXIT_OK
        listed = 0
        for question in found:
            status = "" if question.status is QuestionStatus.ACTIVE else f" [{question.status}]"
            topic = _one_line(question.topic, 40, keep_end=True)
            print(
                f"{question.id:>5}  {question.kind.value:<7} {topic:<40}  "
                f"{_one_line(question.prompt, 70)}{status}"
            )
            listed += 1
    if listed:
        print(f"{listed} question(s)")
    elif bank.has_decks():
        print("No questions match.")
    else:
        print(
            "The bank is empty. Import notes with `python -m desktop import FILE` "
            "(the app imports the built-in bank when it first starts)."
        )
    return EXIT_OK


def _write_json_list(items: Iterable[Any]) -> None:
    """Writes the items as `print_json` writes the list of them, each as soon as it comes."""
    written = False
    for item in items:
        # Inside the list every line of an item is indented one level more (a newline in JSON
        # text is always a line break: strings hold theirs escaped).
        text = json.dumps(item, ensure_ascii=False, indent=2, default=str).replace("\n", "\n  ")
        sys.stdout.write(f",\n  {text}" if written else f"[\n  {text}")
        written = True
    sys.stdout.write("\n]\n" if written else "[]\n")
