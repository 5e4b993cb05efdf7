"""Calibration: cases with known grades, the weight rule, and the cache per model file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.core.calibration import (
    CalibrationResult,
    MemoryCalibrationCache,
    model_weight_for,
)
from desktop.core.questions import Question, QuestionKind, QuestionStatus
from desktop.grading.backend import BackendCancelled
from desktop.grading.calibration import (
    cases_digest,
    ensure_calibrated,
    file_fingerprint,
    held_in_cases,
    measure,
    trap_cases,
)
from desktop.grading.engine import GradingEngine
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
        "this model agrees with known grades in 9 of 20 cases — grades lean on key-point evidence"
    )


def test_held_in_cases_have_a_right_and_a_wrong_answer_per_question() -> None:
    cases = held_in_cases()
    assert len(cases) >= 20
    assert sum(case.expected_correct for case in cases) == len(cases) // 2


def test_evidence_alone_separates_the_held_in_cases() -> None:
    engine = GradingEngine(None)
    agreed = 0
    for case in held_in_cases():
        score = engine.grade(case.task, case.answer).score
        assert score is not None
        agreed += (score >= 0.5) == case.expected_correct
    assert agreed >= 0.8 * len(held_in_cases())


def test_unreadable_case_files_give_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "cases.json"
    broken.write_text('{"questions": [{"name": "x"}]}', encoding="utf-8")
    with pytest.raises(Exception, match="cannot be read"):
        held_in_cases(broken)


def _question(kind: QuestionKind, wrong: str | None) -> Question:
    return Question(
        id=3, deck_id=1, deck="d", identity="trap:3", kind=kind, topic="t",
        prompt="LoRA r=8, loss high. First step?", reference="Check data quality first.",
        key_points=("check data quality",), wrong_answer=wrong, tags=(), source_file="f",
        source_line=1, status=QuestionStatus.ACTIVE, position=0,
    )  # fmt: skip


def test_trap_questions_give_a_wrong_and_a_correct_case() -> None:
    cases = trap_cases(
        [_question(QuestionKind.TRAP, "Increase rank to 64."), _question(QuestionKind.QA, "x")]
    )
    assert [(case.answer, case.expected_correct) for case in cases] == [
        ("Increase rank to 64.", False),
        ("Check data quality first.", True),
    ]
    assert cases[0].task.wrong_answer == "Increase rank to 64."


def _verdicts(value: str) -> str:
    return json.dumps({"point_1": value, "point_2": value, "point_3": value,
                       "point_4": value, "feedback": "Look at the key points again."})  # fmt: skip


def test_measuring_scores_the_model_alone_and_unusable_output_disagrees(scripted: Any) -> None:
    cases = held_in_cases()[:4]  # good, bad, good, bad
    backend = scripted(
        [_verdicts("covered"), _verdicts("missing"), "junk", "junk", _verdicts("missing")]
    )
    result = measure(backend, cases, model_key="k")
    assert [outcome.agreed for outcome in result.outcomes] == [True, True, False, True]
    assert result.outcomes[2].model_score is None
    assert (result.cases, result.agreed, result.unusable) == (4, 3, 1)


def test_a_calibration_is_measured_once_per_model_and_case_set(scripted: Any) -> None:
    cases = held_in_cases()[:2]
    cache = MemoryCalibrationCache()
    first = ensure_calibrated(
        scripted([_verdicts("covered"), _verdicts("missing")]), cache, cases,
        model_fingerprint="abc",
    )  # fmt: skip
    again_backend = scripted([])
    again = ensure_calibrated(again_backend, cache, cases, model_fingerprint="abc")
    assert again == first and again_backend.calls == []
    other_cases = ensure_calibrated(
        scripted([_verdicts("covered")]), cache, cases[:1], model_fingerprint="abc"
    )
    assert other_cases.model_key != first.model_key
    assert first.model_key == f"abc/{cases_digest(cases)}"


def test_a_cancelled_calibration_saves_nothing(scripted: Any) -> None:
    cache = MemoryCalibrationCache()
    with pytest.raises(BackendCancelled):
        ensure_calibrated(
            scripted([BackendCancelled("cancelled")]), cache, held_in_cases()[:2],
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
    result = measure(
        scripted([_verdicts("covered"), _verdicts("covered")]), held_in_cases()[:2], model_key="k1"
    )
    assert store.load("k1") is None
    store.save(result)
    store.save(result)  # saving again replaces, never duplicates
    loaded = store.load("k1")
    assert loaded is not None
    assert (loaded.cases, loaded.agreed, loaded.outcomes) == (2, 1, result.outcomes)
    assert loaded.sentence == result.sentence


def test_fingerprints_follow_file_content(tmp_path: Path) -> None:
    first = tmp_path / "a.gguf"
    first.write_bytes(b"GGUF" + b"\0" * 3_000_000)
    copy = tmp_path / "b.gguf"
    copy.write_bytes(first.read_bytes())
    changed = tmp_path / "c.gguf"
    changed.write_bytes(b"GGUF" + b"\0" * 2_999_999 + b"\1")
    assert file_fingerprint(first) == file_fingerprint(copy) != file_fingerprint(changed)
