"""The path of one grade through our code, key press to stored review: the functions of ours on
the call stack at every hand-off to a lane, at the grade, at the rating suggestion, at the
result shown and at the review stored (a scripted grader; the grader's own work is left out).

    QT_QPA_PLATFORM=offscreen python benchmarks/grade_path_hops.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.core.grading.grades import (  # noqa: E402
    Grade,
    GradeStatus,
    GradingTask,
    KeyPointVerdict,
    Verdict,
)
from desktop.core.review.due_queue import QueueFilter  # noqa: E402
from desktop.core.review.session import ReviewSession  # noqa: E402
from desktop.paths import UserPaths  # noqa: E402
from desktop.services.notes_import import import_files  # noqa: E402
from desktop.services.viva import Viva  # noqa: E402
from desktop.ui.practice.drafts import Drafts  # noqa: E402
from desktop.ui.practice.screen import PracticeScreen  # noqa: E402
from desktop.ui.tasks import TaskRunner  # noqa: E402

MARKS = ("show_pending", "suggestion_for")  # besides every hand-off, the grade and the store
LEFT_OUT = ("desktop/grading/", "desktop/ui/markdown_view", "desktop/ui/theme")


class Tracer:
    def __init__(self) -> None:
        self.stacks: dict[int, list[tuple[str, str]]] = {}
        self.spine: dict[tuple[str, str], None] = {}
        self.recording = False
        self.stored = False

    def mark(self) -> None:
        if self.recording:
            for frame in self.stacks.get(threading.get_ident(), []):
                self.spine.setdefault(frame)

    def __call__(self, frame: FrameType, event: str, _arg: Any) -> None:
        path = frame.f_code.co_filename
        if "/desktop/" not in path:
            return
        place = path[path.index("/desktop/") + 1 :]
        if place.startswith(LEFT_OUT):
            return
        stack = self.stacks.setdefault(threading.get_ident(), [])
        key = (place, frame.f_code.co_name)
        if event == "call":
            stack.append(key)
            name = key[1]
            is_handoff = place == "desktop/ui/tasks.py" and name == "submit"
            is_store = place == "desktop/storage/reviews.py" and name == "record"
            if is_handoff or is_store or name in MARKS:
                self.mark()
                self.stored = self.stored or (is_store and self.recording)
        elif event == "return" and stack and stack[-1] == key:
            stack.pop()


def main() -> int:
    app = QApplication([])
    viva = Viva.open(UserPaths(Path(tempfile.mkdtemp())))
    import_files(viva.database, [ROOT / "resources/bank/frameworks-and-tools.md"])
    tracer = Tracer()

    class Grader:
        identity = "scripted"

        def prepare(self, task: GradingTask, cancel: object = None) -> None:
            pass

        def first_look(self, task: GradingTask, answer: str) -> None:
            return None

        def grade(self, task: GradingTask, answer: str, **_kw: Any) -> Grade:
            tracer.mark()
            points = tuple(KeyPointVerdict(p, Verdict.COVERED) for p in task.key_points)
            return Grade(GradeStatus.GRADED, 0.7, points)

        def close(self) -> None:
            pass

    threading.setprofile(tracer)
    sys.setprofile(tracer)
    runner = TaskRunner()

    def session(filters: QueueFilter) -> ReviewSession:
        return viva.practice.review_session(filters=filters)

    screen = PracticeScreen(session, lambda: Grader(), runner, Drafts(None))
    screen.show()

    def wait(done: Callable[[], bool]) -> None:
        end = time.monotonic() + 10
        while not done() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.002)

    controller = screen.controller
    controller.start()
    wait(lambda: controller.state.value == "answering")
    editor = screen.view.answer_pane.editor
    QTest.keyClicks(editor, "Autograd records operations.")
    tracer.recording = True
    QTest.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait(lambda: controller.state.value == "rating")
    QTest.keyClick(screen, Qt.Key.Key_3)
    wait(lambda: tracer.stored)
    tracer.recording = False
    sys.setprofile(None)
    threading.setprofile(None)
    files = {place for place, _name in tracer.spine}
    print(f"path of one grade: {len(tracer.spine)} calls across {len(files)} files")
    for place, name in tracer.spine:
        print(f"  {place}:{name}")
    runner.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
