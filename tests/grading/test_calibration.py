"""Calibration: cases with known grades, the weight rule, and the cache per model file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.core.errors import Cancelled
from desktop.core.grading.calibration import (
    CalibrationResult,
    MemoryCalibrationCache,
    model_weight_for,
)
from desktop.grading.backend import MalformedReply
from desktop.grading.judging.calibration import (
    cases_digest,
    ensure_calibrated,
    held_in_cases,
    measure,
)
from desktop.grading.judging.engine import GradingEngine
from desktop.grading.model_files.fingerprint import file_fingerprint
from desktop.storage.calibrations import StoredCalibrations
from desktop.storage.database import Database


def test_chance_level_agreement_earns_no_weight() -> None:
    assert model_weight_for(9, 20) == 0.0
    assert model_weight_for(10, 20) == 0.0
    assert model_weight_for(3, 3) < model_weight_for(19, 20)  # three lucky cases prove little
    assert 0.3 < model_weight_for(19, 20) <= 0.8
    assert model_weight_for(0, 0) == 0.0


def test_the_sentence_says_how_far_the_model_is_trusted() -> None:
    result = CalibrationResult("k", "m.gguf", cases=20, agreed=9, model_weight=0.0)
    assert result.sentence == (
        "this model agrees with known grades in 9 of 20 cases — its verdicts are not used: "
        "grades use word matching only"
    )
    trusted = CalibrationResult("k", "m.gguf", cases=20, agreed=19, model_weight=0.6)
    assert trusted.sentence.endswith(
        "grades follow its verdicts, checked against key-point evidence"
    )


def test_held_in_cases_cover_every_kind_of_answer() -> None:
    cases = held_in_cases()
    kinds = {case.kind for case in cases}
    assert kinds == {
        "good", "partial", "bad", "inverted", "swapped", "keywords", "off-topic", "injection"
    }  # fmt: skip
    assert len(cases) >= 40
    assert {case.expected for case in cases} == {0.0, 0.5, 1.0}
    assert all(case.expected == 0.0 for case in cases if case.kind in ("inverted", "injection"))


def test_evidence_alone_separates_right_from_wrong_in_other_words() -> None:
    engine = GradingEngine(None)
    cases = [case for case in held_in_cases() if case.kind in ("good", "bad")]
    agreed = 0
    for case in cases:
        score = engine.grade(case.task, case.answer).score
        assert score is not None
        agreed += (score >= 0.5) == (case.expected == 1.0)
    assert agreed >= 0.8 * len(cases)


def test_unreadable_case_files_give_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "cases.json"
    broken.write_text('{"questions": [{"name": "x"}]}', encoding="utf-8")
    with pytest.raises(Exception, match="cannot be read"):
        held_in_cases(broken)


def test_measuring_scores_the_model_alone_with_anchors_from_other_questions(
    scripted: Any,
) -> None:
    cases = [c for c in held_in_cases() if c.kind in ("good", "bad")][:6]  # 3 questions
    # A biased model: "yes" at 0.8 to right answers and 0.5 to wrong ones, every key point.
    verdicts = [0.8 if case.expected else 0.5 for case in cases for _ in case.task.key_points]
    result = measure(scripted(verdicts), cases, model_key="k")
    assert (result.anchors.low, result.anchors.high) == pytest.approx((0.5, 0.8))
    assert [outcome.model_score for outcome in result.outcomes] == pytest.approx([1.0, 0.0] * 3)
    assert result.agreed == 6 and result.unusable == 0
    assert result.model_value(0.65) == pytest.approx(0.5)


def test_a_model_that_says_yes_to_everything_earns_no_weight(scripted: Any) -> None:
    cases = held_in_cases()
    result = measure(scripted(default_verdict=0.9), cases, model_key="k")
    assert not result.anchors.usable and result.model_weight == 0.0 and result.unreliable
    assert "word matching only" in result.sentence


def test_unusable_output_disagrees(scripted: Any) -> None:
    cases = [c for c in held_in_cases() if c.kind in ("good", "bad")][:4]
    points = [len(case.task.key_points) for case in cases]
    verdicts: list[Any] = (
        [1.0] * points[0] + [MalformedReply("junk")] + [0.0] * (points[2] + points[3])
    )
    result = measure(scripted(verdicts), cases, model_key="k")
    assert result.outcomes[1].model_score is None and not result.outcomes[1].agreed
    assert result.unusable == 1


def test_a_calibration_is_measured_once_per_model_and_case_set(scripted: Any) -> None:
    cases = held_in_cases()[:2]
    cache = MemoryCalibrationCache()
    first = ensure_calibrated(scripted(), cache, cases, model_fingerprint="abc")
    again_backend = scripted([])
    again = ensure_calibrated(again_backend, cache, cases, model_fingerprint="abc")
    assert again == first and again_backend.questions == []
    other_cases = ensure_calibrated(scripted(), cache, cases[:1], model_fingerprint="abc")
    assert other_cases.model_key != first.model_key
    assert first.model_key == f"abc/{cases_digest(cases)}"


def test_a_cancelled_calibration_saves_nothing(scripted: Any) -> None:
    cache = MemoryCalibrationCache()
    with pytest.raises(Cancelled):
        ensure_calibrated(
            scripted([Cancelled()]), cache, held_in_cases()[:2],
            model_fingerprint="abc",
        )  # fmt: skip
    assert cache.load(f"abc/{cases_digest(held_in_cases()[:2])}") is None


def test_the_engine_uses_the_measured_weight(scripted: Any) -> None:
    result = CalibrationResult("k", "m", cases=20, agreed=19, model_weight=model_weight_for(19, 20))
    engine = GradingEngine(scripted([]), reliability=result)
    assert engine.model_weight == result.model_weight
    assert engine.reliability_note == result.sentence


def test_results_survive_in_the_database(database: Database, scripted: Any) -> None:
    store = StoredCalibrations(database)
    result = measure(scripted(), held_in_cases()[:4], model_key="k1")
    assert store.load("k1") is None
    store.save(result)
    store.save(result)  # saving again replaces, never duplicates
    loaded = store.load("k1")
    assert loaded is not None
    assert (loaded.cases, loaded.agreed, loaded.outcomes) == (4, result.agreed, result.outcomes)
    assert loaded.anchors == result.anchors
    assert loaded.sentence == result.sentence


def test_fingerprints_follow_file_content(tmp_path: Path) -> None:
    first = tmp_path / "a.gguf"
    first.write_bytes(b"GGUF" + b"\0" * 3_000_000)
    copy = tmp_path / "b.gguf"
    copy.write_bytes(first.read_bytes())
    changed = tmp_path / "c.gguf"
    changed.write_bytes(b"GGUF" + b"\0" * 2_999_999 + b"\1")
    assert file_fingerprint(first) == file_fingerprint(copy) != file_fingerprint(changed)
