"""Grading quality against human grades, in one run, for word matching alone and for each model:
Pearson r and RMSE on a fixed Mohler 2011 sample (0..5), Pearson r and verdict accuracy on a
fixed SAF sample, agreement with the held-in calibration cases, and seconds per grade.

    python benchmarks/grading_quality.py [--sample 300] [--saf-sample 100] [--threads 1]
        [--model qwen2.5-coder-1.5b --model qwen2.5-coder-0.5b --model embedded]

Each model is first calibrated on the held-in cases (as the app does), which gives the weight
of its verdicts and the anchors that put its probabilities on the grade scale; nothing is ever
fitted on these benchmark sets. Every answer is then graded the way `GradingEngine.grade` does
it: word-matching evidence, one closed question per key point, combined at the measured weight
(the feedback sentence is left out: it does not change the score). "model alone" is the mean of
its per-point probabilities of "yes" (Pearson r does not depend on the scale).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from dataclasses import dataclass, field

from grading_data import Item, mohler, saf, sample

from desktop.core.grading.calibration import CalibrationResult
from desktop.grading.evidence.assessment import assess
from desktop.grading.judging import calibration
from desktop.grading.judging.judge import ModelJudge
from desktop.grading.judging.scoring import COVERED_FROM, PARTIAL_FROM, combine
from desktop.grading.llama.local import LocalLlamaBackend
from desktop.grading.model_files.catalog import CATALOG, catalog_model
from desktop.grading.settings import EMBEDDED_MODEL, ModelSettings
from desktop.paths import install_models_dir


@dataclass
class Scores:
    combined: list[float] = field(default_factory=list)
    model: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def pearson(predicted: list[float], gold: list[float]) -> float:
    if len(predicted) < 3 or len(set(predicted)) < 2:
        return math.nan  # a constant prediction has no correlation
    return statistics.correlation(predicted, gold)


def rmse(predicted: list[float], gold: list[float], scale: float) -> float:
    return math.sqrt(
        sum(((p - g) * scale) ** 2 for p, g in zip(predicted, gold, strict=True)) / len(gold)
    )


def label(score: float) -> str:
    if score >= COVERED_FROM:
        return "Correct"
    return "Partially correct" if score >= PARTIAL_FROM else "Incorrect"


def evidence_scores(items: list[Item]) -> Scores:
    scores = Scores()
    for item in items:
        started = time.perf_counter()
        scores.combined.append(combine(assess(item.task, item.answer)).score)
        scores.seconds.append(time.perf_counter() - started)
    return scores


def model_scores(judge: ModelJudge, result: CalibrationResult, items: list[Item]) -> Scores:
    scores = Scores()
    prepared = None
    for index, item in enumerate(items, start=1):
        assessment = assess(item.task, item.answer)
        if item.task != prepared:
            judge.prepare(item.task)  # as while the learner types: not part of the grade
            prepared = item.task
        started = time.perf_counter()
        raw = [
            judge.point(item.task, assessment.model_answer, point)
            for point in assessment.key_points
        ]
        scores.seconds.append(time.perf_counter() - started)
        values: list[float | None] = [result.model_value(value) for value in raw]
        scores.combined.append(combine(assessment, values, result.model_weight).score)
        scores.model.append(sum(raw) / max(1, len(raw)))
        print(f"\r  {index}/{len(items)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return scores


def backend_for(choice: str, threads: int) -> LocalLlamaBackend:
    model = catalog_model(choice)
    path = str(install_models_dir() / model.file_name) if model else choice
    return LocalLlamaBackend(ModelSettings(model=path, n_threads=threads, n_ctx=4096))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=300, help="Mohler answers")
    parser.add_argument("--saf-sample", type=int, default=100, help="SAF answers")
    parser.add_argument("--seed", type=int, default=2011)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--model",
        action="append",
        help="a catalog key, 'embedded' or a GGUF path (default: every catalog model and "
        "the embedded one)",
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as they are measured
    choices = args.model or [*(model.key for model in CATALOG), EMBEDDED_MODEL]
    sets = {
        "mohler": (sample(mohler(), args.sample, args.seed), 5.0),
        "saf": (sample(saf(), args.saf_sample, args.seed), 1.0),
    }
    cases = calibration.held_in_cases()
    results: dict[str, dict[str, Scores]] = {"word matching only": {}}
    summary: dict[str, str] = {"word matching only": "-"}
    for name, (items, _) in sets.items():
        results["word matching only"][name] = evidence_scores(items)
    for choice in choices:
        backend = backend_for(choice, args.threads)
        backend.load()
        started = time.monotonic()
        result = calibration.measure(backend, cases, model_key=choice)
        print(
            f"{backend.identity}: {result.sentence} (weight {result.model_weight:.2f}, anchors "
            f"{result.anchors.low:.2f}..{result.anchors.high:.2f}, "
            f"{time.monotonic() - started:.0f} s)"
        )
        judge = ModelJudge(backend)
        name = backend.identity
        summary[name] = f"{result.agreed}/{result.cases} (weight {result.model_weight:.2f})"
        results[name] = {
            key: model_scores(judge, result, items) for key, (items, _) in sets.items()
        }
        backend.close()

    print(
        f"\nMohler sample of {args.sample} (seed {args.seed}), SAF test-split sample of "
        f"{args.saf_sample}; threads {args.threads}; seconds per grade: median, prefix prepared\n"
    )
    print(
        "| grader | held-in agreement | Mohler r | Mohler RMSE | SAF r | SAF accuracy | "
        "s/grade |\n|---|---|---|---|---|---|---|"
    )
    for name, per_set in results.items():
        cells = [name, summary[name]]
        for key, (items, scale) in sets.items():
            gold = [item.gold for item in items]
            predicted = per_set[key].combined
            cells.append(f"{pearson(predicted, gold):.3f}")
            if scale > 1:
                cells.append(f"{rmse(predicted, gold, scale):.3f}")
            else:
                hits = sum(label(p) == i.label for p, i in zip(predicted, items, strict=True))
                cells.append(f"{hits / len(items):.3f}")
        seconds = [s for scores in per_set.values() for s in scores.seconds]
        cells.append(f"{statistics.median(seconds):.3f}")
        print("| " + " | ".join(cells) + " |")
    print('\nThe model alone (its mean probability of "yes", no word matching):\n')
    print("| model | Mohler r | SAF r |\n|---|---|---|")
    for name, per_set in results.items():
        if per_set["mohler"].model:
            mohler_items, saf_items = sets["mohler"][0], sets["saf"][0]
            print(
                f"| {name} | "
                f"{pearson(per_set['mohler'].model, [i.gold for i in mohler_items]):.3f} | "
                f"{pearson(per_set['saf'].model, [i.gold for i in saf_items]):.3f} |"
            )
    print(
        "\nPublished on all 2,273 Mohler answers (r / RMSE): human graders 0.586 / 0.659, best "
        "2011 system 0.518 / 0.998, tf-idf 0.327 / 1.022, predict-the-mean RMSE 1.097."
    )


if __name__ == "__main__":
    main()
