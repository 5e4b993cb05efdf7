"""`grade` one answer to a bank question, and `grade-batch` a JSON-lines file of answers.

The model is `--model` (a GGUF path, "embedded", "none" or a server's /v1 URL), else the one
chosen with `models use`, else the default model. It is built and measured exactly as the app
does it (`ModelManager`): its reliability is measured once per model file on the held-in cases
and kept in the database; grades weigh its verdicts accordingly.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from desktop.cli.context import (
    EXIT_FAILED,
    EXIT_OK,
    CliContext,
    add_common_options,
    add_json_option,
    print_json,
)
from desktop.cli.grader import open_grader
from desktop.core.errors import NotFoundError, VivaError
from desktop.core.grading.grades import Grader, GradingTask
from desktop.grading import grade_batch_items, read_batch_items


def register(subparsers: Any) -> None:
    one = subparsers.add_parser("grade", help="grade one answer to a question of the bank")
    add_common_options(one)
    add_json_option(one)
    one.add_argument("--question-id", type=int, required=True, help="the question's id")
    one.add_argument("--answer-file", type=Path, required=True, help="a UTF-8 text file")
    _add_model_options(one)
    one.set_defaults(handler=run_grade)

    many = subparsers.add_parser("grade-batch", help="grade answers from a JSON-lines file")
    add_common_options(many)
    many.add_argument("input", type=Path, help='lines of {"id","question","reference","answer"}')
    many.add_argument("--out", type=Path, help="write result lines here (default: stdout)")
    _add_model_options(many)
    many.set_defaults(handler=run_batch)


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="GGUF path, 'embedded', 'none' or a server's /v1 URL")
    parser.add_argument("--threads", type=int, help="CPU threads for a local model")
    parser.add_argument(
        "--no-calibration",
        action="store_true",
        help="skip measuring the model (its verdicts then get no weight)",
    )


def _engine(args: argparse.Namespace, context: CliContext) -> Grader:
    return open_grader(
        context, model=args.model, threads=args.threads, calibrate=not args.no_calibration
    )


def run_grade(args: argparse.Namespace, context: CliContext) -> int:
    try:
        answer = args.answer_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise VivaError(f"Cannot read the answer file {args.answer_file}: {error}") from error
    question = context.viva.bank.get(args.question_id)
    engine = _engine(args, context)
    try:
        grade = engine.grade(GradingTask.from_question(question), answer)
    finally:
        engine.close()
    if args.json:
        print_json({"question_id": question.id, **grade.as_json()})
    else:
        shown = "ungraded" if grade.score is None else f"{grade.score:.2f}"
        print(f"Score: {shown}" + (f" ({grade.reason})" if grade.reason else ""))
        for point in grade.key_points:
            print(f"  [{point.verdict.value}] {point.text}")
        if grade.feedback:
            print(grade.feedback)
        print(f"Model: {grade.model}")
    return EXIT_OK if grade.is_graded else EXIT_FAILED


def run_batch(args: argparse.Namespace, context: CliContext) -> int:
    if args.out:
        protected = context.paths.protected_files.reading_also([args.input])
        protected.check_output(args.out, writing="the grades")
    try:
        lines = args.input.read_bytes().splitlines()
    except OSError as error:
        raise VivaError(f"Cannot read {args.input}: {error}") from error
    bank = context.viva.bank

    def lookup(question_id: int) -> GradingTask:
        try:
            return GradingTask.from_question(bank.get(question_id))
        except NotFoundError as error:
            raise LookupError(error.message) from None

    items = read_batch_items(lines, lookup)
    engine = _engine(args, context)
    started = time.monotonic()
    counts = {"graded": 0, "ungraded": 0}
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    try:
        for result in grade_batch_items(engine, items):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            out.flush()
            counts[str(result["status"])] += 1
    finally:
        engine.close()
        if out is not sys.stdout:
            out.close()
    seconds = time.monotonic() - started
    rate = (counts["graded"] + counts["ungraded"]) / seconds if seconds > 0 else 0.0
    print(
        f"{counts['graded']} graded, {counts['ungraded']} ungraded in {seconds:.1f} s "
        f"({rate:.2f} answers/s) with {engine.identity}",
        file=sys.stderr,
    )
    return EXIT_OK
