"""Shared fixtures. Qt runs offscreen in every test; set before any Qt import."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from desktop.paths import DATA_DIR_ENV, UserPaths  # noqa: E402
from desktop.storage.database import Database  # noqa: E402

SEED_NOTES = Path(__file__).resolve().parent.parent / "resources" / "bank" / "frameworks-and-tools.md"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                       ) -> None:
    """No test ever touches the real user data folder."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path_factory.mktemp("userdata")))


@pytest.fixture
def user_paths(tmp_path: Path) -> UserPaths:
    return UserPaths(tmp_path / "data")


@pytest.fixture
def database(user_paths: UserPaths) -> Iterator[Database]:
    db = Database.open(user_paths.database, backups_dir=user_paths.backups_dir)
    yield db
    db.close()


@pytest.fixture
def seed_notes() -> Path:
    return SEED_NOTES
