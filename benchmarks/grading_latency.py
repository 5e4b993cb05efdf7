"""Grading latency side by side, in one run, on the default model (the recommended one):

- submit to final score (`score_ms`) and to the end of the feedback (`elapsed_ms`) of a whole
  grade, with the question's prefix prepared while the learner types, and cold;
- a plain cold llama.cpp chat completion of 48 tokens of the same prompt (no engine), the bar
  `score_ms` is measured against, printed as a ratio;
- time per generated token with and without a JSON-schema grammar (151k-token vocabulary);

each the median of several runs.

    python benchmarks/grading_latency.py [--runs 5] [--threads 1] [--model PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Any

from desktop.core.grading.grades import GradingTask
from desktop.grading.judging.engine import GradingEngine
from desktop.grading.judging.prompts import point_messages
from desktop.grading.llama.local import LocalLlamaBackend
from desktop.grading.model_files.catalog import RECOMMENDED
from desktop.grading.settings import ModelSettings
from desktop.paths import install_models_dir

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
PLAIN_TOKENS = 48
VERDICT_SCHEMA = {
    "type": "object",
    "properties": {
        f"point_{i}": {"type": "string", "enum": ["covered", "partial", "missing"]}
        for i in range(1, 5)
    }
    | {"feedback": {"type": "string"}},
    "required": ["point_1", "point_2", "point_3", "point_4", "feedback"],
}


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--model", default=str(install_models_dir() / RECOMMENDED.file_name))
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    backend = LocalLlamaBackend(ModelSettings(model=args.model, n_threads=args.threads))
    backend.load()
    # The weight only decides whether verdicts are asked for; latency is the same at any weight.
    engine = GradingEngine(backend, reliability=0.5)
    engine.grade(TASK, ANSWER)  # warm-up: pages touched

    def whole_grade(prepare: bool) -> tuple[float, float]:
        backend.forget_cache()
        if prepare:
            engine.prepare(TASK)
        grade = engine.grade(TASK, ANSWER)
        assert grade.is_graded and not grade.word_matching_only, grade.reason
        return grade.score_ms / 1000, grade.elapsed_ms / 1000

    messages = point_messages(TASK, ANSWER, TASK.key_points[0])

    def plain_cold() -> float:
        backend.forget_cache()
        llama: Any = backend._llama
        started = time.perf_counter()
        llama.create_chat_completion(
            [{"role": m.role, "content": m.content} for m in messages],
            max_tokens=PLAIN_TOKENS,
            temperature=0.0,
        )
        return time.perf_counter() - started

    def per_token(schema: dict[str, Any] | None) -> float:
        backend.complete(messages, schema=schema, max_tokens=40)  # prompt now cached
        stats = backend.last_call
        assert stats is not None and stats.generated_tokens > 0
        return (stats.seconds - stats.prompt_seconds) / stats.generated_tokens

    prepared = [whole_grade(True) for _ in range(args.runs)]
    cold = [whole_grade(False) for _ in range(args.runs)]
    plain = [plain_cold() for _ in range(args.runs)]
    with_grammar = [per_token(VERDICT_SCHEMA) for _ in range(args.runs)]
    without_grammar = [per_token(None) for _ in range(args.runs)]
    engine.close()

    bar = median(plain)
    print(f"{backend.identity}, threads {args.threads}, median of {args.runs} runs\n")
    print("| path | median s | / plain cold completion |\n|---|---|---|")
    rows = (
        ("score_ms, prefix prepared", median([s for s, _ in prepared])),
        ("elapsed_ms (feedback included), prefix prepared", median([e for _, e in prepared])),
        ("score_ms, cold", median([s for s, _ in cold])),
        ("elapsed_ms, cold", median([e for _, e in cold])),
        (f"plain cold chat completion, {PLAIN_TOKENS} tokens", bar),
    )
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {seconds / bar:.2f} |")
    print(
        f"\nscore_ms p50 / plain cold completion = {rows[0][1] / bar:.2f} "
        "(prefix prepared while the learner types)"
    )
    print(
        f"per generated token: {median(with_grammar) * 1000:.0f} ms with the JSON-schema "
        f"grammar, {median(without_grammar) * 1000:.0f} ms without "
        f"({median(with_grammar) / median(without_grammar):.2f}x); verdicts use no grammar and "
        "generate no tokens: one forward pass per key point"
    )


if __name__ == "__main__":
    main()
