"""The question bank in the whole window at 900×650 and at 1920×1080: every column in view with
its whole title, no horizontal scroll bar, topics that keep both ends when cut, the details
beside the table on a wide window and below it on a narrow one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from desktop.paths import UserPaths
from desktop.storage.database import Database
from desktop.ui.bank.table_model import TOPIC_COLUMN
from desktop.ui.services import AppServices
from tests.fakes import ScriptedGrader
from tests.ui.test_app_window import open_window


@pytest.mark.parametrize(
    ("size", "details"),
    [((900, 650), Qt.Orientation.Vertical), ((1920, 1080), Qt.Orientation.Horizontal)],
    ids=["900x650", "1920x1080"],
)
def test_every_column_shows_whole_at_both_sizes(
    qtbot: QtBot,
    services: AppServices,
    user_paths: UserPaths,
    seeded_database: Database,
    size: tuple[int, int],
    details: Qt.Orientation,
) -> None:
    built, runner = open_window(qtbot, services, user_paths, ScriptedGrader())
    built.window.resize(*size)
    built.window.show_screen("bank")
    bank = built.bank
    qtbot.waitUntil(lambda: bank.model.rowCount() > 0)
    qtbot.wait(50)  # the layout settles
    table = bank.table
    assert bank.splitter.orientation() is details
    assert table.horizontalScrollBar().maximum() == 0  # nothing hidden to the right
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    for column in range(1, bank.model.columnCount()):
        if table.isColumnHidden(column):
            continue
        title = str(bank.model.headerData(column, Qt.Orientation.Horizontal))
        assert header.sectionSize(column) >= metrics.horizontalAdvance(title) + 12, title
    topics = {bank.proxy.index(r, TOPIC_COLUMN).data() for r in range(bank.proxy.rowCount())}
    width = header.sectionSize(TOPIC_COLUMN) - 8
    shown = {metrics.elidedText(t, Qt.TextElideMode.ElideMiddle, width) for t in topics}
    assert len(shown) == len(topics)  # cut, they still tell the topics apart
    option = QStyleOptionViewItem()
    table.itemDelegateForColumn(TOPIC_COLUMN).initStyleOption(
        option, bank.proxy.index(0, TOPIC_COLUMN)
    )
    assert option.textElideMode is Qt.TextElideMode.ElideMiddle  # as the table draws them
    assert not option.features & QStyleOptionViewItem.ViewItemFeature.WrapText  # not cut by lines
    built.window.close()
    runner.shutdown()
