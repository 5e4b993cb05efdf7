"""The window's start: paths -> logging -> the app's services (`desktop.services.viva`: the
database opened and migrated) -> daily backup -> built-in bank on first start -> Qt -> window,
with the model loading in the background.

The window receives the services typed as core Protocols. A database that cannot be opened
(locked, damaged, from a newer version) is shown as a dialog that says what to do, not a
traceback.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.paths import UserPaths, resources_dir
from desktop.storage.private_files import make_private_folder

if TYPE_CHECKING:  # the GUI's modules load only when the GUI starts, not for a CLI command
    from desktop.services.viva import Viva
    from desktop.ui.services import AppServices

EXIT_WHEN_READY_ENV = "VIVA_EXIT_WHEN_READY"
_STARTED_AT = time.perf_counter()
log = logging.getLogger("desktop")
_LOG_HANDLER = "viva"


def configure_logging(logs_dir: Path) -> None:
    """A rotating log file in the data folder; warnings also go to stderr. Calling it again
    (another data folder) replaces the handlers it added before."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _LOG_HANDLER]:
        root.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    handlers: list[logging.Handler] = [console]
    try:
        make_private_folder(logs_dir)  # the log names questions and models: the learner's
        handlers.append(
            RotatingFileHandler(
                logs_dir / "viva.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
            )
        )
    except OSError as error:  # a read-only data folder still lets the app run
        console.setLevel(logging.INFO)
        log.warning("no log file in %s: %s", logs_dir, error)
    for handler in handlers:
        handler.set_name(_LOG_HANDLER)
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(logging.INFO)


def run_gui(paths: UserPaths) -> int:
    with contextlib.suppress(OSError):  # opening the database says what is wrong
        make_private_folder(paths.data_dir)
    configure_logging(paths.logs_dir)
    from desktop.core.errors import DatabaseError, VivaError
    from desktop.services.notes_import import ensure_builtin_bank
    from desktop.services.viva import Viva
    from desktop.storage.backups import daily_backup_if_due
    from desktop.ui.application import run_app, show_startup_error
    from desktop.ui.services import UiResources
    from desktop.ui.tasks import TaskFailure

    try:
        viva = Viva.open(paths)
    except DatabaseError as error:
        log.error("cannot open %s: %s", paths.database, error)
        return show_startup_error(
            "Viva cannot open your data", TaskFailure(error.message, error.details)
        )
    try:
        daily_backup_if_due(paths.database, paths.backups_dir)
    except DatabaseError as error:  # the app still works; the next start tries again
        log.warning("daily backup failed: %s", error)
    try:
        imported = ensure_builtin_bank(viva.database)
        if imported is not None:
            log.info("built-in bank imported: %s", imported.as_json())
    except VivaError as error:
        log.warning("built-in bank not imported: %s", error)
    resources = resources_dir()
    ui = UiResources(
        styles_dir=resources / "styles",
        icons_dir=resources / "icons",
        state_file=paths.data_dir / "window-state.ini",
    )
    services = build_services(viva)
    try:
        return run_app(
            services,
            ui,
            started_at=_STARTED_AT,
            exit_when_ready=bool(os.environ.get(EXIT_WHEN_READY_ENV)),
        )
    finally:
        services.models.close()
        viva.close()


def build_services(viva: Viva) -> AppServices:
    """The window's view of the app's services (`desktop.services.viva`), typed as it expects."""
    from desktop.services.anki_export import export_anki_package
    from desktop.storage.backups import backup_file
    from desktop.ui.services import AppServices
    from desktop.ui.settings.screen import DataPlaces

    paths, practice = viva.paths, viva.practice
    return AppServices(
        bank=viva.bank,
        history=viva.history,
        importer=viva.importer(),
        export_anki=functools.partial(export_anki_package, protected=paths.protected_files),
        reports=viva.reports(),
        models=viva.model_manager(),
        settings=viva.settings,
        cards=practice.cards,
        reviews=practice.reviews,
        new_review_session=lambda filters: practice.review_session(filters=filters),
        mock_stores=practice.mock_stores,
        places=DataPlaces(
            data_dir=paths.data_dir,
            database=paths.database,
            backups_dir=paths.backups_dir,
            back_up_now=lambda: backup_file(paths.database, paths.backups_dir),
        ),
    )
