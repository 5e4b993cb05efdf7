"""Fixtures for report tests: the scripted history in a real database, reports built from it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from desktop.core.reports.report import ProgressReport, ReportRequest
from desktop.reports.service import ReportService
from desktop.storage.database import Database
from desktop.storage.history import HistoryRepository
from tests.reports.scripted_history import NOW, SETTINGS, at, write_history


@pytest.fixture(autouse=True)
def _gui_application(qapp: QApplication) -> None:
    """Painting text needs a Qt application; the widget one, so UI tests can share it."""


@pytest.fixture
def history_database(database: Database) -> Database:
    write_history(database)
    return database


@pytest.fixture
def service(history_database: Database) -> ReportService:
    return ReportService(HistoryRepository(history_database), SETTINGS, clock=lambda: NOW)


@pytest.fixture
def report(service: ReportService) -> ProgressReport:
    """The report of March 26 to 31 (March 1 lies before it), all questions."""
    return service.build_report(ReportRequest(at(26).date(), at(31).date()))


@pytest.fixture
def empty_service(database: Database) -> ReportService:
    return ReportService(HistoryRepository(database), SETTINGS, clock=lambda: NOW)


@pytest.fixture
def empty_report(empty_service: ReportService) -> ProgressReport:
    return empty_service.build_report(ReportRequest())
