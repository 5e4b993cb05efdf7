"""`due`, `review`, `undo` and `optimize-schedule`: the schedule from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
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
from desktop.core.bank.questions import QuestionStatus
from desktop.core.errors import VivaError
from desktop.core.grading.grades import CHECKED_ANSWER_CHARS, STORED_ANSWER_CHARS
from desktop.core.review.cards import Rating
from desktop.core.review.due_queue import QueueFilter
from desktop.core.review.recording import ReviewResult, review_question
from desktop.core.review.session_records import utc_now


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time, e.g. 2025-03-14T09:30:00Z"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no UTC offset: add one, e.g. 2025-03-14T09:30:00+01:00 or ...Z"
        )
    return moment


def _rating(text: str) -> Rating:
    try:
        return Rating.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def register(subparsers: Any) -> None:
    due = subparsers.add_parser("due", help="what is due now, in queue order")
    add_common_options(due)
    add_json_option(due)
    due.add_argument("--at", type=_moment, help="as of this time (ISO 8601; default: now)")
    due.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    for name in ("deck", "topic", "tag", "kind"):
        due.add_argument(f"--{name}", action="append", default=[], help=f"only this {name}")
    due.set_defaults(handler=run_due)

    review = subparsers.add_parser("review", help="answer (or rate) one question and schedule it")
    add_common_options(review)
    add_json_option(review)
    review.add_argument("--question-id", type=int, required=True)
    review.add_argument("--answer-file", type=Path, help="the answer to grade ('-': stdin)")
    review.add_argument(
        "--rating", type=_rating, help="again, hard, good or easy (with an answer: an override)"
    )
    review.add_argument("--at", type=_moment, help="review time (ISO 8601; default: now)")
    review.add_argument("--model", help="a GGUF path, 'embedded', 'none' (evidence only) or URL")
    review.add_argument("--duration-ms", type=int, default=0, help="time spent answering")
    review.set_defaults(handler=run_review)

    undo = subparsers.add_parser("undo", help="undo the last review")
    add_common_options(undo)
    add_json_option(undo)
    undo.set_defaults(handler=run_undo)

    optimise = subparsers.add_parser(
        "optimize-schedule", help="fit FSRS to your reviews (needs the optional optimizer)"
    )
    add_common_options(optimise)
    add_json_option(optimise)
    optimise.set_defaults(handler=run_optimise)


def run_due(args: argparse.Namespace, context: CliContext) -> int:
    practice = context.viva.practice
    filters = QueueFilter(
        decks=tuple(args.deck),
        topics=tuple(args.topic),
        tags=tuple(args.tag),
        kinds=tuple(args.kind),
    )
    entries = practice.due(args.at or utc_now(), filters=filters, limit=max(0, args.limit))
    rows = [
        {
            "question_id": entry.question_id,
            "state": entry.state.value,
            "due": _iso(entry.due),
            "prompt": practice.questions.get(entry.question_id).prompt,
        }
        for entry in entries
    ]
    if args.json:
        print_json(rows)
        return EXIT_OK
    if not rows:
        print("Nothing is due.")
    for row in rows:
        prompt = " ".join(str(row["prompt"]).split())
        print(f"{row['question_id']:>7}  {row['state']:<10}  {row['due']}  {prompt[:60]}")
    return EXIT_OK


def _read_answer(path: Path) -> str:
    """The answer in `path` ('-': stdin); one longer than Viva keeps is refused, read no
    further than one character past the limit."""
    try:
        if str(path) == "-":
            answer = sys.stdin.read(STORED_ANSWER_CHARS + 1)
        else:
            with path.open(encoding="utf-8") as handle:
                answer = handle.read(STORED_ANSWER_CHARS + 1)
    except (OSError, UnicodeDecodeError) as error:
        raise VivaError(f"Cannot read the answer file {path}: {error}") from None
    if len(answer) > STORED_ANSWER_CHARS:
        raise VivaError(
            f"The answer in {path} is longer than {STORED_ANSWER_CHARS:,} characters, the most "
            f"Viva keeps of an answer (the grader reads its first {CHECKED_ANSWER_CHARS:,}). "
            "Shorten it; nothing was recorded."
        )
    return answer


def _result_json(result: ReviewResult) -> dict[str, Any]:
    grade = result.grade
    return {
        "question_id": result.question_id,
        "status": result.status.value,
        "score": result.score,
        "rating": None if result.rating is None else result.rating.label,
        "suggested_rating": None
        if result.suggested_rating is None
        else result.suggested_rating.label,
        "overridden": result.overridden,
        "state": result.state.value,
        "due": _iso(result.due),
        "recorded": result.review_id is not None,
        "review_id": result.review_id,
        "reason": result.reason,
        "feedback": grade.feedback if grade else "",
        "key_points": [kp.as_json() for kp in grade.key_points] if grade else [],
        "model": grade.model if grade else "",
    }


def run_review(args: argparse.Namespace, context: CliContext) -> int:
    if args.answer_file is None and args.rating is None:
        raise VivaError("Give --answer-file FILE to grade an answer, or --rating to rate yourself.")
    answer = None if args.answer_file is None else _read_answer(args.answer_file)
    practice = context.viva.practice
    question = practice.questions.get(args.question_id)
    if question.status is not QuestionStatus.ACTIVE:
        raise VivaError(
            f"Question {question.id} is {question.status.value}; only active questions are "
            "reviewed. Nothing was recorded."
        )
    grader = open_grader(context, model=args.model) if answer is not None else None
    try:
        result = review_question(
            question=question,
            cards=practice.cards,
            reviews=practice.reviews,
            scheduler=practice.scheduler(),
            at=args.at or utc_now(),
            answer=answer,
            rating=args.rating,
            grader=grader,
            duration_ms=max(0, args.duration_ms),
        )
    finally:
        if grader is not None:
            grader.close()
    if args.json:
        print_json(_result_json(result))
    elif result.review_id is None:
        print(f"Ungraded: {result.reason} Nothing was recorded; add --rating to rate yourself.")
    else:
        score = "" if result.score is None else f"score {result.score:.0%}, "
        rating = result.rating.label if result.rating else ""
        print(f"{result.status.value}: {score}rated {rating}; next due {_iso(result.due)}")
    return EXIT_OK


def run_undo(args: argparse.Namespace, context: CliContext) -> int:
    practice = context.viva.practice
    undone = practice.undo_last_review()
    if undone is None:
        if args.json:
            print_json({"undone": False, "question_id": None, "due": None})
        else:
            print("There is no review to undo.", file=sys.stderr)
        return EXIT_FAILED
    card = practice.cards.card(undone.review.question_id)
    restored = {
        "undone": True,
        "review_id": undone.id,
        "question_id": undone.review.question_id,
        # A question that is new again is due at once, as `due` lists it.
        "state": "new" if card is None else card.state.value,
        "due": _iso(utc_now() if card is None else card.due),
    }
    if args.json:
        print_json(restored)
    else:
        print(
            f"Undid review {undone.id} of question {restored['question_id']}; "
            f"now {restored['state']}, due {restored['due']}"
        )
    return EXIT_OK


def run_optimise(args: argparse.Namespace, context: CliContext) -> int:
    settings = context.viva.practice.optimise_schedule()
    if args.json:
        print_json({"parameters": list(settings.parameters)})
    else:
        print("Fitted FSRS parameters saved; they apply from the next review.")
    return EXIT_OK
