"""Screenshots of every screen, light and dark, from the real app on a demo database.

    python scripts/screenshots.py OUT_DIR [--scheme light|dark|both] [--no-model]

Creates a data folder in a temporary directory, imports the built-in bank, records three weeks
of demo reviews (so statistics have something to show), builds the real window with the real
services, loads the embedded model (unless --no-model), and saves one PNG per screen and scheme.
Runs on any Qt platform: under Xvfb (`xvfb-run -a python scripts/screenshots.py out`) or
offscreen (`QT_QPA_PLATFORM=offscreen`).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from desktop.app import build_services
from desktop.core.bank.questions import Question
from desktop.core.grading.grades import Grade, GradeStatus, KeyPointVerdict, Verdict
from desktop.core.grading.model_service import ModelOptions
from desktop.core.review.cards import Rating
from desktop.core.review.schedule_settings import ScheduleSettings
from desktop.paths import UserPaths, resources_dir
from desktop.services.notes_import import ensure_builtin_bank
from desktop.services.practice import Practice
from desktop.services.viva import Viva
from desktop.ui.application import AppWindow, Options, build_window
from desktop.ui.help_dialog import HelpDialog
from desktop.ui.practice.controller import PracticeState
from desktop.ui.services import UiResources
from desktop.ui.tasks import TaskRunner
from desktop.ui.theme import Appearance, apply_theme

DEMO_ANSWER = (
    "I would first look at torch.cuda.memory_summary() to see what holds the memory, then "
    "reduce the batch size and use gradient accumulation, switch to mixed precision, and "
    "make sure validation runs under torch.no_grad()."
)


def demo_grade(rng: random.Random, key_points: tuple[str, ...]) -> Grade:
    score = min(1.0, max(0.05, rng.gauss(0.62, 0.22)))
    verdicts = tuple(
        KeyPointVerdict(
            point,
            Verdict.COVERED
            if rng.random() < score
            else (Verdict.PARTIAL if rng.random() < 0.5 else Verdict.MISSING),
        )
        for point in key_points
    )
    return Grade(GradeStatus.GRADED, round(score, 2), verdicts, "Demo history.", model="demo")


def record_demo_history(practice: Practice, days: int = 21, seed: int = 7) -> int:
    """Reviews on most of the last `days` days, as a learner would have given them."""
    rng = random.Random(seed)
    recorded = 0
    first_day = datetime.now(UTC).replace(hour=18, minute=0) - timedelta(days=days)
    for day in range(days):
        if rng.random() < 0.15:
            continue  # a day off
        moment = [first_day + timedelta(days=day)]

        def now(moment: list[datetime] = moment) -> datetime:
            return moment[0]

        session = practice.review_session(settings=ScheduleSettings(new_per_day=6), clock=now)
        item = session.start()
        for _ in range(rng.randint(4, 9)):
            if item is None:
                break
            grade = demo_grade(rng, item.question.key_points)
            session.submit("(demo answer)", grade, duration_ms=rng.randint(40, 240) * 1000)
            moment[0] += timedelta(minutes=4)
            session.confirm(None)
            recorded += 1
            item = session.current
        session.finish()
    return recorded


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not get ready in time")
        QApplication.processEvents()
        time.sleep(0.01)


def demo_answer_for(question: Question) -> str:
    """The written demo answer for the out-of-memory question; for any other question the
    queue shows first, an answer made of its first two key points (never the wrong one)."""
    if "out of memory" in question.prompt.lower():
        return DEMO_ANSWER
    return " ".join(f"{point.rstrip('.')}." for point in question.key_points[:2])


def settle(seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, folder: Path, name: str) -> Path:
    settle()
    path = folder / f"{name}.png"
    widget.grab().save(str(path))
    print(path)
    return path


def shoot_scheme(built: AppWindow, folder: Path, scheme: str) -> None:
    window = built.window
    window.show_screen("home")
    wait_until(lambda: built.home.summary is not None)
    save(window, folder, f"{scheme}-1-home")
    practice = built.practice.controller
    window.show_screen("practice:start")
    wait_until(lambda: practice.state is PracticeState.ANSWERING)
    shown = practice.item
    assert shown is not None
    built.practice.view.answer_pane.editor.setPlainText(demo_answer_for(shown.question))
    save(window, folder, f"{scheme}-2-practice-answer")
    practice.submit()
    wait_until(lambda: practice.state is PracticeState.RATING, timeout=600)
    save(window, folder, f"{scheme}-3-practice-result")
    practice.rate(Rating.GOOD)  # whatever was suggested; an ungraded answer has no suggestion
    wait_until(lambda: practice.state is not PracticeState.SAVING)
    window.show_screen("mock")
    wait_until(lambda: built.mock.view.setup_page.topics.count() > 0)
    save(window, folder, f"{scheme}-4-mock-setup")
    window.show_screen("bank")
    wait_until(lambda: built.bank.model.rowCount() > 0)
    built.bank.table.selectRow(2)
    save(window, folder, f"{scheme}-5-bank")
    window.show_screen("models")
    wait_until(lambda: built.models_screen.table.rowCount() > 0)
    save(window, folder, f"{scheme}-6-models")
    window.show_screen("statistics")
    wait_until(lambda: built.statistics.report is not None)
    save(window, folder, f"{scheme}-7-statistics")
    window.show_screen("settings")
    wait_until(lambda: built.settings.backups.count() > 0)
    save(window, folder, f"{scheme}-8-settings")
    dialog = HelpDialog(window)
    dialog.show()
    save(dialog, folder, f"{scheme}-9-help")
    dialog.close()


def shoot_mock_interview(built: AppWindow, folder: Path, scheme: str) -> None:
    """Two questions: one answered, the other submitted as it stands; then the summary."""
    built.window.show_screen("mock")
    view, controller = built.mock.view, built.mock.controller
    view.setup_page.count.setValue(2)
    controller.start(view.setup_page.config())
    page = view.question_page
    wait_until(lambda: view.pages.currentWidget() is page)
    page.answer_pane.editor.setPlainText(
        "LangChain chains tools and agents; LlamaIndex indexes documents for retrieval."
    )
    save(built.window, folder, f"{scheme}-4b-mock-question")
    controller.submit()
    wait_until(lambda: page.position.text().startswith("Question 2"))
    controller.submit()
    wait_until(lambda: view.pages.currentWidget() is view.summary_page, timeout=600)
    save(built.window, folder, f"{scheme}-4c-mock-summary")
    controller.reset()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, nargs="?", default=Path("out/screenshots"))
    parser.add_argument("--scheme", choices=("light", "dark", "both"), default="both")
    parser.add_argument("--no-model", action="store_true", help="show the no-model state")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="viva-demo-") as folder:
        paths = UserPaths(Path(folder))
        viva = Viva.open(paths)
        ensure_builtin_bank(viva.database)
        print(f"demo history: {record_demo_history(viva.practice)} reviews")
        services = build_services(viva)
        resources = resources_dir()
        ui = UiResources(resources / "styles", resources / "icons", Path(folder) / "state.ini")
        runner = TaskRunner()
        built = build_window(app, services, ui, runner, Options(auto_check=False))
        built.window.resize(1280, 820)
        built.window.show()
        built.models.load(ModelOptions(model="none" if args.no_model else "embedded"))
        wait_until(lambda: not built.models.is_loading)
        services.places.back_up_now()
        schemes = ("light", "dark") if args.scheme == "both" else (args.scheme,)
        for scheme in schemes:
            apply_theme(app, Appearance(scheme), ui.styles_dir)
            shoot_scheme(built, args.out, scheme)
            shoot_mock_interview(built, args.out, scheme)
        built.window.close()
        services.models.close()
        viva.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
