"""The scheduling options as a form: retention, daily limits, the day boundary, steps."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop.core.review.schedule_settings import (
    NewOrder,
    ScheduleSettings,
    ScheduleSettingsError,
)


def _steps_text(steps: tuple[float, ...]) -> str:
    return " ".join(f"{step:g}" for step in steps)


def _parse_steps(text: str, what: str) -> tuple[float, ...]:
    try:
        return tuple(float(part) for part in text.replace(",", " ").split())
    except ValueError:
        raise ScheduleSettingsError(
            f"{what}: write minutes separated by spaces, e.g. 1 10."
        ) from None


def _spin(name: str, low: int, high: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    return spin


class SchedulingForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.retention = QDoubleSpinBox()
        self.retention.setObjectName("desiredRetention")
        self.retention.setRange(0.70, 0.99)
        self.retention.setSingleStep(0.01)
        self.retention.setDecimals(2)
        self.new_per_day = _spin("newPerDay", 0, 9999)
        self.reviews_per_day = _spin("reviewsPerDay", 0, 99999)
        self.day_starts = _spin("dayStartsAt", 0, 23, ":00")
        self.maximum_interval = _spin("maximumInterval", 1, 36500, " days")
        self.learning_steps = QLineEdit()
        self.learning_steps.setObjectName("learningSteps")
        self.relearning_steps = QLineEdit()
        self.relearning_steps.setObjectName("relearningSteps")
        self.fuzz = QCheckBox("Spread reviews a little (fuzz), so they do not bunch up")
        self.fuzz.setObjectName("fuzz")
        self.new_order = QComboBox()
        self.new_order.setObjectName("newOrder")
        self.new_order.addItem("Mixed: the decks take turns", NewOrder.MIXED.value)
        self.new_order.addItem("Deck by deck, in the bank's order", NewOrder.DECK_BY_DECK.value)
        self.timezone = QLineEdit()
        self.timezone.setObjectName("timezone")
        self.timezone.setPlaceholderText("this computer's timezone")
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for line in (self.learning_steps, self.relearning_steps, self.timezone):
            line.setMinimumWidth(240)
        form.addRow("Desired &retention", self.retention)
        form.addRow("&New questions per day", self.new_per_day)
        form.addRow("New questions &from several decks", self.new_order)
        form.addRow("Reviews per &day", self.reviews_per_day)
        form.addRow("Next day &starts at", self.day_starts)
        form.addRow("&Maximum interval", self.maximum_interval)
        form.addRow("&Learning steps (minutes)", self.learning_steps)
        form.addRow("Relearning steps (minutes)", self.relearning_steps)
        form.addRow("&Timezone (IANA name)", self.timezone)
        form.addRow("", self.fuzz)
        self.settings = ScheduleSettings()

    def show_settings(self, settings: ScheduleSettings) -> None:
        self.settings = settings
        self.retention.setValue(settings.desired_retention)
        self.new_per_day.setValue(settings.new_per_day)
        self.reviews_per_day.setValue(settings.reviews_per_day)
        self.day_starts.setValue(settings.day_starts_at_hour)
        self.maximum_interval.setValue(settings.maximum_interval_days)
        self.learning_steps.setText(_steps_text(settings.learning_steps_minutes))
        self.relearning_steps.setText(_steps_text(settings.relearning_steps_minutes))
        self.timezone.setText(settings.timezone)
        self.fuzz.setChecked(settings.fuzz)
        self.new_order.setCurrentIndex(self.new_order.findData(settings.new_order.value))

    def edited(self) -> ScheduleSettings:
        """The form's values; raises `ScheduleSettingsError` naming what is wrong."""
        return self.settings.with_changes(
            desired_retention=round(self.retention.value(), 2),
            new_per_day=self.new_per_day.value(),
            reviews_per_day=self.reviews_per_day.value(),
            day_starts_at_hour=self.day_starts.value(),
            maximum_interval_days=self.maximum_interval.value(),
            learning_steps_minutes=_parse_steps(self.learning_steps.text(), "Learning steps"),
            relearning_steps_minutes=_parse_steps(self.relearning_steps.text(), "Relearning steps"),
            timezone=self.timezone.text().strip(),
            fuzz=self.fuzz.isChecked(),
            new_order=NewOrder(self.new_order.currentData()),
        )
