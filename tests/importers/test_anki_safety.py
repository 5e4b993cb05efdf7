"""Anki packages that must not hang, pile up files or blame the wrong thing: deeply nested HTML
converts in linear time, a named pipe is refused without being opened, an export leaves nothing
in the temporary folder and cleans what a killed export left, and a full temporary folder or a
package cut short is named as such."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import genanki
import pytest

from desktop.core.bank.notes_markdown.key_points import MAX_LIST_DEPTH
from desktop.core.errors import NotesFormatError, VivaError
from desktop.core.output_targets import ProtectedFiles
from desktop.importers.anki import parse_anki_package
from desktop.importers.anki.export import STALE_AFTER_S, TEMPORARY_PREFIX
from desktop.importers.anki.html_markdown import html_to_markdown
from desktop.services.anki_export import export_anki_package
from desktop.services.notes_import import import_files
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank
from tests.importers.test_anki_packages import _rewrite, packages

__all__ = ["packages"]  # the module's fixture, shared

REPO = Path(__file__).resolve().parents[2]

_CONVERT = """
import sys, time
from desktop.importers.anki.html_markdown import html_to_markdown
levels = int(sys.argv[1])
html = {
    "lists": "<ul><li>" * levels + "deep" + "</li></ul>" * levels,
    "spaces": "<span> </span>" * levels + "end",
}[sys.argv[2]]
started = time.perf_counter()
text = html_to_markdown(html)
print(time.perf_counter() - started)
lines = text.split("\\n")
print(len(lines), max(len(line) - len(line.lstrip(" ")) for line in lines), lines[-1].strip())
"""


def _convert(kind: str, count: int) -> tuple[float, str]:
    """Converts `count` pieces of the `kind` of HTML in a child process (so a hang ends):
    the seconds it took, and the lines, deepest indent and last line of the Markdown."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", _CONVERT, str(count), kind],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"converting {count} pieces of HTML did not end within two minutes")
    assert result.returncode == 0, result.stderr
    elapsed, found = result.stdout.splitlines()
    return float(elapsed), found


def test_html_nested_200000_levels_deep_converts_in_linear_time() -> None:
    elapsed, found = _convert("lists", 200_000)
    assert found == f"200000 {4 * (MAX_LIST_DEPTH - 1)} - deep"  # every item, none deeper
    assert elapsed < 15  # about 3 s; it took hours when every tag rescanned the output


def test_a_long_run_of_spaces_converts_in_linear_time() -> None:
    elapsed, found = _convert("spaces", 300_000)
    assert found == "1 0 end"
    assert elapsed < 15  # about 2 s; it took a minute when each space was tried to its end


def test_lists_nested_deeper_than_the_limit_are_flattened_to_it() -> None:
    depth = MAX_LIST_DEPTH + 2
    text = html_to_markdown("<ul><li>" * depth + "deep" + "</li></ul>" * depth)
    indents = [len(line) - len(line.lstrip(" ")) for line in text.split("\n")]
    deepest = 4 * (MAX_LIST_DEPTH - 1)
    assert indents == [4 * level for level in range(MAX_LIST_DEPTH)] + [deepest, deepest]
    assert text.endswith("- deep")
    nested = html_to_markdown("<ol><li>a<ol><li>b</li></ol></li><li>c</li></ol><p>after</p>")
    assert nested == "1. a\n    1. b\n2. c\n\nafter"  # within the limit: as before


def test_a_named_pipe_called_apkg_is_refused_at_once(
    tmp_path: Path, viva_process: list[str]
) -> None:
    pipe = tmp_path / "p.apkg"
    os.mkfifo(pipe)
    try:
        result = subprocess.run(
            [*viva_process, "--db", str(tmp_path / "viva.sqlite3"), "import", str(pipe)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            cwd=REPO,
            env={**os.environ, "VIVA_DATA_DIR": str(tmp_path / "data")},
        )
    except subprocess.TimeoutExpired:
        pytest.fail("importing a named pipe called .apkg blocked")
    assert result.returncode != 0
    assert f"{pipe}: is not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


_PARSE = """
import sys
from pathlib import Path
from desktop.core.errors import NotesFormatError
from desktop.importers.anki import parse_anki_package
try:
    parse_anki_package(Path(sys.argv[1]))
except NotesFormatError as error:
    print(error.problem)
"""


@pytest.mark.parametrize("name", ["p.apkg", "p.colpkg"])
def test_a_named_pipe_is_never_opened(tmp_path: Path, name: str) -> None:
    pipe = tmp_path / name
    os.mkfifo(pipe)
    try:
        result = subprocess.run(
            [sys.executable, "-c", _PARSE, str(pipe)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            cwd=REPO,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading a named pipe called {name} blocked")
    assert result.stdout.startswith("is not a regular file"), result.stderr


def test_a_folder_called_apkg_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.apkg"
    folder.mkdir()
    with pytest.raises(NotesFormatError, match="is a folder, not an Anki package"):
        parse_anki_package(folder)


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private temporary folder for this test (TMPDIR, and what `tempfile` uses)."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def exported(database: Database, seed_notes: Path, tmp_path: Path) -> Path:
    """Where the bank (the seed's questions) is exported: a folder of its own."""
    import_files(database, [seed_notes])
    folder = tmp_path / "out"
    folder.mkdir()
    return folder / "viva.apkg"


def _export(database: Database, out: Path, *, history: bool = False) -> int:
    guard = ProtectedFiles(database.path, database.path.parent / "backups")
    questions = QuestionBank(database).questions()
    return export_anki_package(
        questions, out, protected=guard, database=database if history else None
    )


@pytest.mark.parametrize("history", [False, True])
def test_an_export_leaves_nothing_in_the_temporary_folder(
    database: Database, exported: Path, temp_folder: Path, history: bool
) -> None:
    assert _export(database, exported, history=history) == 36
    assert list(temp_folder.iterdir()) == []
    assert [p.name for p in exported.parent.iterdir()] == ["viva.apkg"]
    with zipfile.ZipFile(exported) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        assert json.loads(archive.read("media")) == {}


def _fail_writing_the_collection(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(genanki.Package, "write_to_db", full)


def _fail_writing_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", full)


@pytest.mark.parametrize("fail", [_fail_writing_the_collection, _fail_writing_the_package])
def test_a_full_disk_is_a_message_and_leaves_nothing(
    database: Database,
    exported: Path,
    temp_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    fail: Callable[[pytest.MonkeyPatch], None],
) -> None:
    fail(monkeypatch)
    with pytest.raises(VivaError) as caught:
        _export(database, exported)
    assert str(caught.value) == (
        f"{exported} could not be written: the folder {exported.parent} is full; free some "
        "space there and export again"
    )
    assert list(temp_folder.iterdir()) == []
    assert list(exported.parent.iterdir()) == []


def test_what_a_killed_export_left_is_removed_by_the_next(
    database: Database, exported: Path
) -> None:
    dead = subprocess.Popen([sys.executable, "-c", ""])
    dead.wait()  # its process id is free now
    folder = exported.parent
    old = time.time() - 2 * STALE_AFTER_S
    stale = [
        f"{TEMPORARY_PREFIX}{dead.pid}-k2j4h6g8.apkg",
        f"{TEMPORARY_PREFIX}{dead.pid}-q9w8e7r6.anki2",
        f"{TEMPORARY_PREFIX}{dead.pid}-q9w8e7r6.anki2-journal",
        ".viva-x1y2z3w4.apkg",  # an older version's name, without the writer
    ]
    kept = [
        f"{TEMPORARY_PREFIX}{os.getppid()}-a1b2c3d4.apkg",  # its writer is still running
        ".viva-notes.apkg",
        "deck.apkg",
    ]
    for name in stale + kept:
        (folder / name).write_bytes(b"partial")
        os.utime(folder / name, (old, old))
    recent = f"{TEMPORARY_PREFIX}{dead.pid}-z0z0z0z0.apkg"  # under a minute old: left alone
    (folder / recent).write_bytes(b"partial")
    _export(database, exported)
    assert sorted(p.name for p in folder.iterdir()) == sorted([*kept, recent, "viva.apkg"])


def _full_temporary_folder(tmp_path: Path) -> Callable[..., str]:
    """`tempfile.mkdtemp` whose folder's copy of the collection is /dev/full."""
    real = tempfile.mkdtemp

    def mkdtemp(suffix: str | None = None, prefix: str | None = None, dir: object = None) -> str:
        folder = Path(real(suffix, prefix, tmp_path))
        (folder / "collection.sqlite").symlink_to("/dev/full")
        return str(folder)

    return mkdtemp


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("kind", ["modern", "legacy"])
def test_a_full_temporary_folder_is_named_not_the_package(
    packages: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    package = packages[kind]
    assert isinstance(package, Path)
    monkeypatch.setattr(tempfile, "mkdtemp", _full_temporary_folder(tmp_path))
    with pytest.raises(NotesFormatError) as caught:
        parse_anki_package(package)
    problem = caught.value.problem
    assert f"the temporary folder {tempfile.gettempdir()} is full" in problem
    assert "damaged" not in problem


@pytest.mark.parametrize("kind", ["modern", "colpkg"])
def test_a_collection_cut_short_is_called_truncated(
    packages: dict[str, object], tmp_path: Path, kind: str
) -> None:
    package = packages[kind]
    assert isinstance(package, Path)
    with zipfile.ZipFile(package) as archive:
        compressed = archive.read("collection.anki21b")
    cut = _rewrite(
        package,
        tmp_path / f"cut{package.suffix}",
        {"collection.anki21b": compressed[: len(compressed) * 2 // 3]},
    )
    with pytest.raises(NotesFormatError) as caught:
        parse_anki_package(cut)
    assert re.search(r"is damaged: .*cut short \(the package is truncated\)", caught.value.problem)
    assert "not a database" not in caught.value.problem
