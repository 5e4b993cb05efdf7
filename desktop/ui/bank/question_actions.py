"""What the browser does to one question: edit it in a dialog, suspend or resume it, retire or
restore it. Each change is written on the database lane; `changed` reports it done."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.core.bank.questions import Question, QuestionStatus
from desktop.core.bank.store import QuestionBankStore
from desktop.ui.bank.question_editor import QuestionEditorDialog
from desktop.ui.bank.table_model import one_line
from desktop.ui.error_dialog import show_failure
from desktop.ui.tasks import Lane, TaskFailure, TaskRunner


class QuestionActions(QObject):
    changed = Signal(str)  # what was done, in words

    def __init__(self, bank: QuestionBankStore, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self._bank = bank
        self._runner = runner
        self._parent = parent
        self.editor: QuestionEditorDialog | None = None
        self.confirm: QMessageBox | None = None  # the question before retiring

    def edit(self, question: Question | None) -> None:
        if question is None or self.editor is not None:
            return
        self.editor = QuestionEditorDialog(question, self._parent)
        self.editor.finished.connect(self._on_editor_finished)
        self.editor.open()

    def _on_editor_finished(self, result: int) -> None:
        editor, self.editor = self.editor, None
        if editor is None:
            return
        editor.deleteLater()
        if result != QuestionEditorDialog.DialogCode.Accepted:
            return
        edit = editor.edit()
        question_id = editor.question.id
        self._write(
            "saving the question",
            lambda: self._bank.update(
                question_id,
                prompt=edit.prompt,
                reference=edit.reference,
                key_points=edit.key_points,
                wrong_answer=edit.wrong_answer,
                tags=edit.tags,
            ),
            "Question saved.",
        )

    def toggle_suspended(self, question: Question | None) -> None:
        if question is None or question.status is QuestionStatus.RETIRED:
            return
        suspended = question.status is QuestionStatus.SUSPENDED
        status = QuestionStatus.ACTIVE if suspended else QuestionStatus.SUSPENDED
        done = "Question resumed." if suspended else "Question suspended."
        self._write(
            "suspending the question", lambda: self._bank.set_status(question.id, status), done
        )

    def toggle_retired(self, question: Question | None) -> None:
        """Restores a retired question at once; retiring one asks first (Delete is one key)."""
        if question is None or self.confirm is not None:
            return
        if question.status is QuestionStatus.RETIRED:
            self._write(
                "restoring the question",
                lambda: self._bank.set_status(question.id, QuestionStatus.ACTIVE),
                "Question restored.",
            )
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Retire question",
            f"Retire “{one_line(question.prompt, 90)}”?\n\nIt leaves practice and its history is "
            "kept; the state filter's “retired” shows it, and Delete there restores it.",
            QMessageBox.StandardButton.Cancel,
            self._parent,
        )
        retire = box.addButton("Retire", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(retire)
        self.confirm = box

        def answered() -> None:
            self.confirm = None
            box.deleteLater()
            if box.clickedButton() is retire:
                self._write(
                    "retiring the question",
                    lambda: self._bank.set_status(question.id, QuestionStatus.RETIRED),
                    "Question retired (its history is kept).",
                )

        box.finished.connect(lambda _result: answered())
        box.open()

    def _write(self, doing: str, write: Callable[[], object], done: str) -> None:
        self._runner.submit(
            Lane.DATABASE,
            doing,
            lambda _c: write(),
            on_success=lambda _result: self.changed.emit(done),
            on_failure=self._on_write_failed,
        )

    def _on_write_failed(self, failure: TaskFailure) -> None:
        show_failure(self._parent, "The change could not be saved", failure)
