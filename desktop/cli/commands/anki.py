"""`export-anki`: the bank as an Anki package (importing one is `import FILE.apkg`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.context import EXIT_OK, CliContext, add_common_options, add_json_option, print_json
from desktop.core.bank.store import QuestionFilter
from desktop.core.errors import NotFoundError, VivaError
from desktop.services.anki_export import export_anki_package


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export-anki",
        help="write the question bank as an Anki package (.apkg)",
        description="Write the bank (active and suspended questions) as an .apkg that Anki "
        "imports: one note per question, its deck and tags kept; exporting again updates the "
        "same notes in Anki.",
    )
    add_common_options(parser)
    add_json_option(parser)
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.apkg")
    parser.add_argument(
        "--deck", action="append", default=[], metavar="D", help="only this deck (repeatable)"
    )
    parser.add_argument(
        "--with-history",
        action="store_true",
        help="also write each card's schedule and review history, so Anki carries it on",
    )
    parser.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace, context: CliContext) -> int:
    out: Path = args.out
    if out.suffix.lower() != ".apkg":
        raise VivaError(f"{out}: an Anki package is a .apkg file.")
    bank = context.viva.bank
    known = {deck.name for deck in bank.decks()}
    for deck in args.deck:
        if deck not in known:
            raise NotFoundError(f'There is no deck named "{deck}" (see `questions`).')
    filters = [QuestionFilter(deck=deck) for deck in args.deck] or [QuestionFilter()]
    questions = [q for f in filters for q in bank.questions(f)]
    history = context.viva.database if args.with_history else None
    written = export_anki_package(
        questions, out, protected=context.paths.protected_files, database=history
    )
    if args.json:
        print_json({"out": str(out), "notes": written})
    else:
        print(f"Wrote {written} note(s) to {out}")
    return EXIT_OK
