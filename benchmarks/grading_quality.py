"""Grading quality against human grades: Pearson r and RMSE on Mohler 2011 (0..5), Pearson r and
verdict accuracy on SAF, for key-point evidence alone, the model alone, and their combination.

    python benchmarks/grading_quality.py [--sample 120] [--saf-sample 60] [--threads 1]

Evidence alone runs on every answer. The model runs on a fixed random sample (seed 2011) because
the embedded model needs seconds per answer on two cores; the evidence figures are repeated on
the same sample so the variants compare like with like. The model's weight in the combination
comes from its calibration (held-in cases and the bank's traps), never from these sets. Each
answer is graded the way `GradingEngine.grade` does it (assess, ask the model, combine), so one
model reply serves every variant.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable

from grading_data import Item, mohler, saf, sample

from desktop.core.calibration import MemoryCalibrationCache
from desktop.grading import calibration
from desktop.grading.assessment import assess
from desktop.grading.judge import ModelJudge
from desktop.grading.local import LocalLlamaBackend
from desktop.grading.scoring import COVERED_FROM, PARTIAL_FROM, combine
from desktop.grading.settings import ModelSettings
from desktop.importers.notes import parse_notes_file
from desktop.paths import builtin_bank_files

Scores = dict[str, list[float | None]]


def pearson(predicted: list[float], gold: list[float]) -> float:
    return statistics.correlation(predicted, gold) if len(predicted) > 2 else math.nan


def rmse(predicted: list[float], gold: list[float], scale: float) -> float:
    return math.sqrt(
        sum(((p - g) * scale) ** 2 for p, g in zip(predicted, gold, strict=True)) / len(gold)
    )


def label(score: float) -> str:
    if score >= COVERED_FROM:
        return "Correct"
    return "Partially correct" if score >= PARTIAL_FROM else "Incorrect"


def evidence_scores(items: list[Item]) -> tuple[list[float], float]:
    started = time.monotonic()
    scores = [combine(assess(item.task, item.answer), None, 0.0).score for item in items]
    return scores, time.monotonic() - started


def model_scores(judge: ModelJudge, items: list[Item], weight: float) -> tuple[Scores, float]:
    """Per variant, one score per item (None where the model's output was unusable)."""
    scores: Scores = {"evidence": [], "model": [], "combined": [], "weight 0.5": []}
    started = time.monotonic()
    prepared = None
    for index, item in enumerate(items, start=1):
        assessment = assess(item.task, item.answer)
        if item.task != prepared:
            judge.prepare(item.task, assessment.key_points)
            prepared = item.task
        reply = judge.ask(item.task, assessment.key_points, assessment.model_answer).reply
        evidence = combine(assessment, None, 0.0).score
        scores["evidence"].append(evidence)
        scores["model"].append(reply.score if reply is not None else None)
        scores["combined"].append(combine(assessment, reply, weight).score if reply else evidence)
        scores["weight 0.5"].append(combine(assessment, reply, 0.5).score if reply else evidence)
        print(f"\r  {index}/{len(items)}", end="", flush=True)
    print()
    return scores, time.monotonic() - started


def report(name: str, items: list[Item], predicted: list[float | None], scale: float) -> str:
    pairs = [(p, item) for p, item in zip(predicted, items, strict=True) if p is not None]
    values = [p for p, _ in pairs]
    gold = [item.gold for _, item in pairs]
    line = f"| {name} | {len(pairs)}/{len(items)} | {pearson(values, gold):.3f} |"
    if scale > 1:
        return line + f" {rmse(values, gold, scale):.3f} |"
    accuracy = sum(label(p) == item.label for p, item in pairs) / max(1, len(pairs))
    return line + f" {accuracy:.3f} |"


def run_set(
    title: str, items: list[Item], size: int, judge: ModelJudge | None, weight: float,
    scale: float, seed: int,
) -> None:  # fmt: skip
    metric = "RMSE (0..5)" if scale > 1 else "verdict accuracy"
    print(f"\n### {title}\n\n| variant | answers | Pearson r | {metric} |\n|---|---|---|---|")
    full, seconds = evidence_scores(items)
    print(report("evidence only, all answers", items, list(full), scale))
    print(f"(evidence only: {len(items) / seconds:.0f} answers/s)")
    if judge is None:
        return
    chosen = sample(items, size, seed)
    scores, seconds = model_scores(judge, chosen, weight)
    for variant, described in (
        ("evidence", "evidence only, sample"),
        ("model", "model alone, sample (usable replies)"),
        ("combined", f"combination at calibrated weight {weight:.2f}, sample"),
        ("weight 0.5", "combination at fixed weight 0.5, sample"),
    ):
        print(report(described, chosen, scores[variant], scale))
    print(f"(with the model: {len(chosen) / seconds:.2f} answers/s, prefix reused per question)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=120, help="Mohler answers for the model")
    parser.add_argument("--saf-sample", type=int, default=60, help="SAF answers for the model")
    parser.add_argument("--seed", type=int, default=2011)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--no-model", action="store_true", help="evidence alone only")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as they are measured

    judge: ModelJudge | None = None
    weight = 0.0
    if not args.no_model:
        backend = LocalLlamaBackend(ModelSettings(model="embedded", n_threads=args.threads))
        traps = [q for path in builtin_bank_files() for q in parse_notes_file(path).questions]
        cases = calibration.standard_cases(traps)
        started = time.monotonic()
        result = calibration.ensure_calibrated(
            backend, MemoryCalibrationCache(), cases, model_fingerprint=backend.fingerprint
        )
        weight = result.model_weight
        print(f"calibration ({time.monotonic() - started:.0f} s): {result.sentence}")
        print(f"  model weight {weight:.2f}; unusable replies {result.unusable}/{result.cases}")
        judge = ModelJudge(backend)

    run: Callable[..., None] = run_set
    run("Mohler 2011 (2,273 answers)", mohler(), args.sample, judge, weight, 5.0, args.seed)
    run("SAF English test splits", saf(), args.saf_sample, judge, weight, 1.0, args.seed)
    print(
        "\nPublished on Mohler (r / RMSE): human graders 0.586 / 0.659, best 2011 system "
        "0.518 / 0.998, tf-idf 0.327 / 1.022, predict-the-mean RMSE 1.097."
    )


if __name__ == "__main__":
    main()
