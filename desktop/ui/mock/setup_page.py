"""Setting up a mock interview: which topics and kinds, how many questions, how long each,
and whether the answers count toward the schedule."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.bank.questions import TOPIC_SEPARATOR, QuestionKind
from desktop.core.mock.interview import MockConfig
from desktop.ui.screen import muted_label, title_label


class MockSetupPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.topics = QListWidget()
        self.topics.setObjectName("mockTopics")
        self.kinds: dict[QuestionKind, QCheckBox] = {}
        kinds_row = QHBoxLayout()
        for kind in QuestionKind:
            box = QCheckBox(kind.value)
            box.setObjectName(f"mockKind_{kind.value}")
            box.setChecked(kind is not QuestionKind.CONCEPT)
            self.kinds[kind] = box
            kinds_row.addWidget(box)
        kinds_row.addStretch(1)
        self.count = QSpinBox()
        self.count.setObjectName("mockCount")
        self.count.setRange(1, 50)
        self.count.setValue(5)
        self.seconds = QSpinBox()
        self.seconds.setObjectName("mockSeconds")
        self.seconds.setRange(15, 3600)
        self.seconds.setSingleStep(15)
        self.seconds.setValue(180)
        self.seconds.setSuffix(" s")
        self.counts = QCheckBox("Count my answers toward the review schedule")
        self.counts.setObjectName("mockCounts")
        self.counts.setChecked(True)
        self.start_button = QPushButton("Start interview")
        self.start_button.setObjectName("startMockButton")
        self.start_button.setProperty("primary", True)
        self.resume_button = QPushButton("Resume the unfinished interview")
        self.resume_button.setObjectName("resumeMockButton")
        self.resume_button.setVisible(False)
        self.message = muted_label()
        self.message.setObjectName("mockSetupMessage")
        form = QFormLayout()
        # The topic list grows with the window; the number boxes keep their size.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.topics.setMinimumWidth(340)
        self.topics.setMaximumHeight(200)
        form.addRow("&Topics (none ticked: all)", self.topics)
        form.addRow("Kinds", kinds_row)
        form.addRow("&Questions", self.count)
        form.addRow("Time &per question", self.seconds)
        form.addRow("", self.counts)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.resume_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Mock interview"))
        layout.addWidget(
            muted_label(
                "Questions are drawn with a bias toward your weak and due ones. Each has a "
                "countdown; your answer is submitted when it reaches zero. References are "
                "shown only at the end."
            )
        )
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def set_topics(self, paths: list[str]) -> None:
        ticked = set(self.chosen_topics())
        self.topics.clear()
        for path in paths:
            item = QListWidgetItem(path.split(TOPIC_SEPARATOR)[-1])
            item.setToolTip(path)
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = path in ticked
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.topics.addItem(item)

    def chosen_topics(self) -> list[str]:
        chosen = []
        for row in range(self.topics.count()):
            item = self.topics.item(row)
            if item.checkState() is Qt.CheckState.Checked:
                chosen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return chosen

    def config(self) -> MockConfig:
        return MockConfig(
            question_count=self.count.value(),
            topics=tuple(self.chosen_topics()),
            kinds=tuple(kind.value for kind, box in self.kinds.items() if box.isChecked()),
            time_limit_s=self.seconds.value(),
            counts_toward_schedule=self.counts.isChecked(),
        )
