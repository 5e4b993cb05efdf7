"""Grading latency side by side, in one run, on the embedded model:

- one grading call (a constrained completion) with the prompt prefix prepared while the learner
  types (`prepare`), the same call cold (empty KV cache), and a plain single llama.cpp completion
  of the same prompt and reply length (no grammar, no engine), with the prompt tokens evaluated;
- the whole grade as the learner waits for it (submit to score, a retry included), prepared and
  cold;

each the median of several runs; then batch throughput
(answers per second) on Mohler answers, grouped by question as `grade-batch` does.

    python benchmarks/grading_latency.py [--runs 5] [--threads 1] [--batch 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

from grading_data import mohler

from desktop.core.grades import GradingTask
from desktop.grading.assessment import assess
from desktop.grading.batch import BatchItem, grade_items
from desktop.grading.engine import GradingEngine
from desktop.grading.local import LocalLlamaBackend
from desktop.grading.prompts import grading_messages, reply_schema, reply_token_budget
from desktop.grading.settings import ModelSettings

TASK = GradingTask(
    prompt="You're using LoRA with r=8. Validation loss is high. What do you try first?",
    reference=(
        "Start with r=8; if underfitting try r=16 then r=32. Before raising the rank, check data "
        "quality, train for more steps, tune the learning rate and add more data. Jumping to "
        "r=64 gives diminishing returns, slower training and a risk of overfitting."
    ),
    key_points=(
        "check data quality first",
        "train for more steps",
        "tune the learning rate",
        "raise the rank gradually (16, then 32), not straight to 64",
    ),
)
ANSWER = (
    "I would not jump to a higher rank. First I'd look at the data quality, then train longer and "
    "tune the learning rate; only if it still underfits would I try r=16 and then r=32."
)


def median_of(runs: int, measure: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    results = [measure() for _ in range(runs)]
    return statistics.median(r[0] for r in results), results[-1][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=30, help="Mohler answers for throughput")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as they are measured

    backend = LocalLlamaBackend(ModelSettings(model="embedded", n_threads=args.threads))
    engine = GradingEngine(backend, reliability=0.5)
    backend.load()
    engine.grade(TASK, ANSWER)  # warm-up: grammar compiled, pages touched
    reply_tokens = backend.last_call.generated_tokens if backend.last_call else 60

    key_points = assess(TASK, ANSWER).key_points
    messages = grading_messages(TASK, key_points, ANSWER)
    schema, budget = reply_schema(len(key_points)), reply_token_budget(len(key_points))

    def one_call(prepare: bool) -> tuple[float, int]:
        """One constrained completion, as the engine's first attempt makes it."""
        backend.forget_cache()
        if prepare:
            engine.prepare(TASK)
        started = time.perf_counter()
        backend.complete(messages, schema=schema, max_tokens=budget)
        assert backend.last_call is not None
        return time.perf_counter() - started, backend.last_call.evaluated_tokens

    def whole_grade(prepare: bool) -> tuple[float, int]:
        """`GradingEngine.grade` as the learner waits for it (a retry included, if any)."""
        backend.forget_cache()
        if prepare:
            engine.prepare(TASK)
        started = time.perf_counter()
        grade = engine.grade(TASK, ANSWER)
        return time.perf_counter() - started, int(str(grade.details.get("attempts", 0)))

    def plain() -> tuple[float, int]:
        backend.forget_cache()
        llama = backend._llama
        rendered = backend._renderer.render(messages)
        tokens = llama.tokenize(rendered.text.encode(), add_bos=rendered.add_bos, special=True)
        started = time.perf_counter()
        llama.create_completion(tokens, max_tokens=reply_tokens, temperature=0.0)
        return time.perf_counter() - started, len(tokens)

    calls = [
        ("one grading call, prefix prepared", median_of(args.runs, lambda: one_call(True))),
        ("one grading call, cold", median_of(args.runs, lambda: one_call(False))),
        ("plain llama.cpp completion, same prompt", median_of(args.runs, plain)),
    ]
    print(f"threads {args.threads}, median of {args.runs} runs, reply ~{reply_tokens} tokens\n")
    print("| path | median seconds | prompt tokens evaluated |\n|---|---|---|")
    for name, (seconds, evaluated) in calls:
        print(f"| {name} | {seconds:.2f} | {evaluated} |")
    grades = [
        ("whole grade, prefix prepared", median_of(args.runs, lambda: whole_grade(True))),
        ("whole grade, cold", median_of(args.runs, lambda: whole_grade(False))),
    ]
    print("\n| submit to score | median seconds | model calls |\n|---|---|---|")
    for name, (seconds, attempts) in grades:
        print(f"| {name} | {seconds:.2f} | {attempts} |")
    print(
        f"\nprepared vs cold: one call {calls[1][1][0] / calls[0][1][0]:.1f}x faster, "
        f"whole grade {grades[1][1][0] / grades[0][1][0]:.1f}x faster"
    )

    items = [
        BatchItem(index, item.id, item.task, item.answer)
        for index, item in enumerate(mohler()[: args.batch])
    ]
    started = time.perf_counter()
    results = list(grade_items(engine, items))
    seconds = time.perf_counter() - started
    print(
        f"\nbatch: {len(results)} Mohler answers ({len({i.task for i in items})} questions) in "
        f"{seconds:.1f} s = {len(results) / seconds:.2f} answers/s with the model"
    )
    evidence_items = [
        BatchItem(i, item.id, item.task, item.answer) for i, item in enumerate(mohler())
    ]
    started = time.perf_counter()
    count = sum(1 for _ in grade_items(GradingEngine(None), evidence_items))
    seconds = time.perf_counter() - started
    print(f"batch: {count} Mohler answers in {seconds:.1f} s = {count / seconds:.0f} answers/s "
          "on key-point evidence alone")  # fmt: skip
    engine.close()


if __name__ == "__main__":
    main()
