"""Everything the window needs from the rest of the app, typed as core Protocols and plain
callables. The composition root (`desktop.app`) fills it in; tests fill it with real storage in
a temporary folder and a scripted grader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.core.bank.importing import ExportAnki, NotesImporter
from desktop.core.bank.store import QuestionBankStore
from desktop.core.grading.model_service import ModelService
from desktop.core.mock.interview import MockStores
from desktop.core.reports.history import HistorySource
from desktop.core.reports.service import ProgressReports
from desktop.core.review.due_queue import CardStore, QueueFilter
from desktop.core.review.review_store import ReviewStore
from desktop.core.review.session import ReviewSession
from desktop.core.settings import SettingsStore
from desktop.ui.settings.screen import DataPlaces


@dataclass(frozen=True)
class AppServices:
    bank: QuestionBankStore
    history: HistorySource
    importer: NotesImporter
    export_anki: ExportAnki
    reports: ProgressReports
    models: ModelService
    settings: SettingsStore
    cards: CardStore
    reviews: ReviewStore
    new_review_session: Callable[[QueueFilter], ReviewSession]
    mock_stores: Callable[[], MockStores]
    places: DataPlaces


@dataclass(frozen=True)
class UiResources:
    """Stylesheets and icons (resources/), and the file the window keeps its state in."""

    styles_dir: Path
    icons_dir: Path
    state_file: Path
