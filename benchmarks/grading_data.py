"""The public short-answer sets the grading benchmarks read (never shipped, never fitted on).

They live in `shared/benchmarks` beside the checkout (`../shared/benchmarks`), or wherever
`VIVA_BENCHMARK_DATA` points. Each item is a grading task, an answer and the human grade on 0..1.
"""

from __future__ import annotations

import csv
import os
import random
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from desktop.core.grading.grades import GradingTask

ROOT = Path(__file__).resolve().parent.parent
SAF_SPLITS = ("unseen_answers", "unseen_questions")


@dataclass(frozen=True)
class Item:
    id: str
    task: GradingTask
    answer: str
    gold: float  # 0..1
    label: str = ""  # SAF's verdict: Correct / Partially correct / Incorrect


def data_dir() -> Path:
    configured = os.environ.get("VIVA_BENCHMARK_DATA")
    candidates = [Path(configured)] if configured else []
    candidates += [ROOT.parent / "shared" / "benchmarks", ROOT / "shared" / "benchmarks"]
    for candidate in candidates:
        if (candidate / "mohler2011").is_dir():
            return candidate
    raise SystemExit(
        "benchmark data not found: expected ../shared/benchmarks beside the checkout "
        "(or set VIVA_BENCHMARK_DATA)"
    )


def mohler() -> list[Item]:
    """The 2,273 answers every paper reports on (excluded_in_papers == 0); gold = score_avg / 5."""
    path = data_dir() / "mohler2011" / "mohler_v2_flat.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["excluded_in_papers"] == "0"]
    return [
        Item(
            id=row["id"],
            task=GradingTask(row["question"], row["reference_answer"], ()),
            answer=row["student_answer"],
            gold=float(row["score_avg"]) / 5.0,
        )
        for row in rows
    ]


def saf() -> list[Item]:
    """SAF (English) test splits: answers to seen questions and to unseen questions."""
    items: list[Item] = []
    for split in SAF_SPLITS:
        for path in sorted((data_dir() / "saf" / "data" / split / "english").glob("*.xml")):
            root = ElementTree.parse(path).getroot()
            prompt = (root.findtext("questionText") or "").strip()
            reference = " ".join(
                (node.text or "").strip() for node in root.iter("referenceAnswer")
            ).strip()
            task = GradingTask(prompt, reference, ())
            for answer in root.iter("studentAnswer"):
                items.append(
                    Item(
                        id=f"{split}/{answer.get('id')}",
                        task=task,
                        answer=(answer.findtext("response") or "").strip(),
                        gold=float(answer.findtext("score") or 0.0),
                        label=(answer.findtext("verification_feedback") or "").strip(),
                    )
                )
    return items


def sample(items: list[Item], size: int, seed: int) -> list[Item]:
    """A fixed random sample, kept in data order so answers to one question stay together."""
    if size >= len(items):
        return list(items)
    chosen = set(random.Random(seed).sample(range(len(items)), size))
    return [item for index, item in enumerate(items) if index in chosen]
