"""The one place that knows where resources/, models/ and the user data folder are.

Works from a source checkout, an installed package, and a PyInstaller bundle (where
`sys._MEIPASS` holds bundled data and models sit next to the executable).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktop import APP_ID
from desktop.core.output_targets import ProtectedFiles

DATA_DIR_ENV = "VIVA_DATA_DIR"


def _bundle_root() -> Path | None:
    meipass = getattr(sys, "_MEIPASS", None)
    return Path(meipass) if meipass else None


def install_root() -> Path:
    """The folder holding resources/ (a checkout's root, or the bundle's data folder)."""
    bundle = _bundle_root()
    if bundle is not None:
        return bundle
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return install_root() / "resources"


def builtin_bank_files() -> list[Path]:
    """The notes files shipped as the built-in question bank."""
    return sorted((resources_dir() / "bank").glob("*.md"))


def install_models_dir() -> Path:
    """`models/` beside the executable in a bundle, or in the checkout."""
    if _bundle_root() is not None:
        return Path(sys.executable).resolve().parent / "models"
    return install_root() / "models"


@dataclass(frozen=True)
class UserPaths:
    """Where one user's data lives. With an explicit database file (`--db PATH`), its
    backups sit beside it; everything else stays in the data folder."""

    data_dir: Path
    database_file: Path | None = None

    @property
    def database(self) -> Path:
        return self.database_file or self.data_dir / "viva.sqlite3"

    @property
    def backups_dir(self) -> Path:
        return self.database.parent / "backups"

    @property
    def protected_files(self) -> ProtectedFiles:
        """The files no output may be written over (see `core.output_targets`)."""
        return ProtectedFiles(self.database, self.backups_dir)

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @classmethod
    def default(cls, database: Path | None = None) -> UserPaths:
        override = os.environ.get(DATA_DIR_ENV)
        data_dir = (
            Path(override).expanduser()
            if override
            else Path(platformdirs.user_data_dir(APP_ID, appauthor=False))
        )
        return cls(data_dir, database.expanduser().resolve() if database else None)
