"""Anki packages built by Anki's own library (modern and legacy), imported as questions: every
note type, HTML turned into Markdown, a code block, tags, subdecks; a re-import adds nothing;
damaged, unrelated and future packages are refused with the database unchanged."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

from desktop.core.bank.questions import Question, QuestionKind, QuestionStatus
from desktop.core.bank.store import ALL_STATUSES, QuestionFilter
from desktop.core.errors import NotesFormatError
from desktop.core.output_targets import ProtectedFiles
from desktop.core.review.cards import CardState, Rating, ReviewStatus
from desktop.importers.anki.export import note_guid
from desktop.services.anki_export import export_anki_package
from desktop.services.notes_import import import_files
from desktop.storage.cards import CardRepository
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank
from desktop.storage.reviews import ReviewRepository

EVERYTHING = QuestionFilter(statuses=ALL_STATUSES)


def _add(col: Collection, type_name: str, deck: str, fields: dict[str, str], tags=()) -> str:
    note = col.new_note(col.models.by_name(type_name))
    for name, value in fields.items():
        note[name] = value
    note.tags = list(tags)
    col.add_note(note, col.decks.id(deck))
    return note.guid


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    folder = tmp_path_factory.mktemp("anki")
    col = Collection(str(folder / "collection.anki2"))
    vocab = col.models.copy(col.models.by_name("Basic"))
    vocab["name"] = "Interview term"
    col.models.add_field(vocab, col.models.new_field("Notes"))
    col.models.update_dict(vocab)
    guids = {
        "basic": _add(
            col,
            "Basic",
            "Interview::ML",
            {
                "Front": "What does <b>dropout</b> do?",
                "Back": "Randomly zeroes activations:<ul><li>regularises</li>"
                "<li>off at <i>eval</i></li></ul><pre><code>nn.Dropout(p=0.1)\nmodel.eval()"
                '</code></pre><img src="diagram.png">',
            },
            tags=("ml", "regularisation"),
        ),
        "reversed": _add(
            col, "Basic (and reversed card)", "Interview", {"Front": "GIL", "Back": "One lock"}
        ),
        "optional": _add(
            col,
            "Basic (optional reversed card)",
            "Interview",
            {"Front": "FSDP", "Back": "Sharded data parallel", "Add Reverse": ""},
        ),
        "typed": _add(
            col,
            "Basic (type in the answer)",
            "Interview::Python",
            {"Front": "Keyword to define a function?", "Back": "def"},
        ),
        "cloze": _add(
            col,
            "Cloze",
            "Interview::ML",
            {"Text": "{{c1::Adam}} combines {{c2::momentum::a running mean}} and RMSProp."},
        ),
        "other": _add(
            col,
            "Interview term",
            "Interview",
            {"Front": "Idempotent", "Back": "Same result when repeated", "Notes": "HTTP PUT"},
        ),
    }
    built = {}
    for legacy in (False, True):
        out = folder / ("legacy.apkg" if legacy else "modern.apkg")
        options = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=True, legacy=legacy
        )
        col.export_anki_package(out_path=str(out), options=options, limit=None)
        built["legacy" if legacy else "modern"] = out
    whole = folder / "collection.colpkg"
    col.export_collection_package(out_path=str(whole), include_media=True, legacy=False)
    col.close()
    built["colpkg"] = whole
    yield {"guids": guids, **built}


def _by_identity(database: Database) -> dict[str, Question]:
    return {q.identity: q for q in QuestionBank(database).questions(EVERYTHING)}


@pytest.mark.parametrize("kind", ["modern", "legacy", "colpkg"])
def test_every_note_type_becomes_questions(
    database: Database, packages: dict[str, object], kind: str
) -> None:
    package = packages[kind]
    assert isinstance(package, Path)
    guids = packages["guids"]
    assert isinstance(guids, dict)
    summary = import_files(database, [package])
    questions = _by_identity(database)
    assert summary.added == len(questions) == 8
    assert [d.name for d in QuestionBank(database).decks()] == ["Interview"]

    basic = questions[f"anki:{guids['basic']}"]
    assert basic.prompt == "What does **dropout** do?"
    assert basic.reference == (
        "Randomly zeroes activations:\n\n- regularises\n- off at *eval*\n\n"
        "```\nnn.Dropout(p=0.1)\nmodel.eval()\n```\n\n[image: diagram.png]"
    )
    assert basic.topic == "ML" and basic.deck == "Interview"
    assert basic.tags == ("ml", "regularisation")
    assert basic.key_points  # from the reference, as for Markdown notes

    assert questions[f"anki:{guids['reversed']}"].prompt == "GIL"
    assert questions[f"anki:{guids['reversed']} reversed"].prompt == "One lock"
    assert f"anki:{guids['optional']} reversed" not in questions  # "Add Reverse" left empty
    assert questions[f"anki:{guids['typed']}"].reference == "def"
    assert questions[f"anki:{guids['typed']}"].topic == "Python"
    first = questions[f"anki:{guids['cloze']} cloze 1"]
    second = questions[f"anki:{guids['cloze']} cloze 2"]
    assert first.prompt == "[…] combines momentum and RMSProp."
    assert second.prompt == "Adam combines [a running mean] and RMSProp."
    assert first.reference == "**Adam** combines momentum and RMSProp."
    assert (first.key_points, second.key_points) == (("Adam",), ("momentum",))
    other = questions[f"anki:{guids['other']}"]
    assert (other.prompt, other.reference) == ("Idempotent", "Same result when repeated")


def test_a_reimport_adds_nothing_and_the_other_format_is_the_same_deck(
    database: Database, packages: dict[str, object]
) -> None:
    modern, legacy = packages["modern"], packages["legacy"]
    assert isinstance(modern, Path) and isinstance(legacy, Path)
    import_files(database, [modern])
    ids = {identity: q.id for identity, q in _by_identity(database).items()}
    again = import_files(database, [modern])
    assert (again.added, again.unchanged) == (0, 8)
    other = import_files(database, [legacy])
    assert (other.added, other.unchanged) == (0, 8)
    assert {identity: q.id for identity, q in _by_identity(database).items()} == ids
    assert len(QuestionBank(database).decks()) == 1


def _database_rows(database: Database) -> list[tuple[object, ...]]:
    path = database.path
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute("SELECT id, identity, reference FROM questions ORDER BY id"))
    finally:
        conn.close()


def _rewrite(source: Path, target: Path, replace: dict[str, bytes | None]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            if item.filename in replace:
                data = replace[item.filename]
                if data is not None:
                    new.writestr(item.filename, data)
            else:
                new.writestr(item, old.read(item.filename))
    return target


def test_damaged_unrelated_and_future_packages_are_refused(
    database: Database, packages: dict[str, object], tmp_path: Path, seed_notes: Path
) -> None:
    modern = packages["modern"]
    assert isinstance(modern, Path)
    import_files(database, [seed_notes])
    before = _database_rows(database)
    cut = tmp_path / "cut.apkg"
    cut.write_bytes(modern.read_bytes()[: modern.stat().st_size // 2])
    unrelated = tmp_path / "photos.apkg"
    with zipfile.ZipFile(unrelated, "w") as archive:
        archive.writestr("holiday.jpg", b"\xff\xd8\xff")
    future = _rewrite(modern, tmp_path / "future.apkg", {"meta": b"\x08\x07"})
    garbled = _rewrite(
        modern, tmp_path / "garbled.apkg", {"collection.anki21b": b"\x28\xb5\x2f\xfd garbage"}
    )
    cases = {
        cut: "not a readable ZIP",
        unrelated: "holds no Anki collection",
        future: "newer Anki package format (version 7)",
        garbled: "is damaged",
    }
    for package, problem in cases.items():
        with pytest.raises(NotesFormatError, match=re.escape(problem)):
            import_files(database, [package, seed_notes])
        assert _database_rows(database) == before, package.name


def test_a_note_without_fields_is_refused(
    database: Database, packages: dict[str, object], tmp_path: Path
) -> None:
    legacy = packages["legacy"]
    assert isinstance(legacy, Path)
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(legacy) as archive:
        archive.extractall(folder)
    conn = sqlite3.connect(folder / "collection.anki21")
    conn.execute("UPDATE notes SET flds = ? WHERE id = (SELECT min(id) FROM notes)", ("\x1f",))
    conn.commit()
    conn.close()
    broken = _rewrite(
        legacy,
        tmp_path / "empty-note.apkg",
        {"collection.anki21": (folder / "collection.anki21").read_bytes()},
    )
    with pytest.raises(NotesFormatError, match="a note without fields"):
        import_files(database, [broken])
    assert QuestionBank(database).count(EVERYTHING) == 0


@pytest.fixture(scope="module")
def reviewed_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A package whose card was answered three times in Anki with FSRS on."""
    folder = tmp_path_factory.mktemp("anki-history")
    col = Collection(str(folder / "collection.anki2"))
    col.set_config("fsrs", True)
    guid = _add(col, "Basic", "Reviewed", {"Front": "What is a B-tree?", "Back": "Ordered keys"})
    _add(col, "Basic", "Reviewed", {"Front": "Never answered", "Back": "So no history"})
    note_id = col.db.scalar("SELECT id FROM notes WHERE guid = ?", guid)
    (card,) = col.card_ids_of_note(note_id)
    for ease in (3, 3, 3):
        answered = col.get_card(card)
        answered.start_timer()
        col.sched.answerCard(answered, ease)
    final = col.get_card(card)
    assert final.type == 2  # in review, with a due day counted from the collection's creation
    anki_due = datetime.fromtimestamp(col.crt + final.due * 86_400, UTC)
    assert final.memory_state is not None
    anki_stability = final.memory_state.stability
    out = folder / "reviewed.apkg"
    options = ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False
    )
    col.export_anki_package(out_path=str(out), options=options, limit=None)
    col.close()
    yield {"path": out, "guid": guid, "due": anki_due, "stability": anki_stability}


def test_with_history_the_reviews_and_the_due_date_carry_over(
    database: Database, reviewed_package: dict[str, object]
) -> None:
    package, guid, anki_due = (reviewed_package[k] for k in ("path", "guid", "due"))
    assert isinstance(package, Path) and isinstance(anki_due, datetime)
    preview = import_files(database, [package], dry_run=True, anki_history=True)
    assert preview.history == 3 and QuestionBank(database).count(EVERYTHING) == 0
    summary = import_files(database, [package], anki_history=True)
    assert summary.history == 3
    question = _by_identity(database)[f"anki:{guid}"]
    reviews = ReviewRepository(database).reviews_of(question.id)
    assert [r.review.rating for r in reviews] == [Rating.GOOD] * 3
    assert all(r.review.status is ReviewStatus.SELF_RATED for r in reviews)
    card = CardRepository(database).card(question.id)
    assert card is not None and card.state is CardState.REVIEW
    assert abs(card.due - anki_due) <= timedelta(days=1)  # what Anki's own FSRS shows
    stability = reviewed_package["stability"]
    assert isinstance(stability, float) and card.stability is not None
    assert abs(card.stability - stability) < 0.05  # the memory replayed by FSRS, as Anki's
    again = import_files(database, [package], anki_history=True)
    assert (again.added, again.history) == (0, 0)  # nothing twice
    assert len(ReviewRepository(database).reviews_of(question.id)) == 3


def test_the_bank_exported_opens_in_anki_with_one_note_per_question(
    database: Database, seed_notes: Path, packages: dict[str, object], tmp_path: Path
) -> None:
    modern = packages["modern"]
    assert isinstance(modern, Path)
    import_files(database, [seed_notes, modern])
    questions = QuestionBank(database).questions()
    out = tmp_path / "viva.apkg"
    guard = ProtectedFiles(database.path, database.path.parent / "backups")
    assert export_anki_package(questions, out, protected=guard) == len(questions) == 44

    col = Collection(str(tmp_path / "reader.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(out), options=ImportAnkiPackageOptions()
        )
        col.import_anki_package(request)
        assert col.note_count() == len(questions)
        ddp = next(
            q for q in questions if q.prompt.startswith("Explain the difference between DDP")
        )
        (note_id,) = col.find_notes('"Question:*DDP and FSDP*"')
        note = col.get_note(note_id)
        assert note.note_type()["name"] == "Viva question"
        assert list(note.keys()) == ["Question", "Answer", "Key points", "Type in"]
        assert "<strong>DDP (DistributedDataParallel)</strong>" in note["Answer"]
        assert "<li>Each GPU has full model copy</li>" in note["Answer"]
        assert note["Key points"].count("<li>") == len(ddp.key_points)
        deck = col.decks.name(col.get_card(note.card_ids()[0]).did)
        assert deck == "Frameworks and Tools::" + "::".join(ddp.topic.split(" > "))
        (tagged_id,) = col.find_notes("tag:regularisation")
        tagged = col.get_note(tagged_id)
        assert tagged.tags == ["ml", "regularisation"]
        assert tagged.guid == packages["guids"]["basic"]  # the note it came from: the same guid
        # A second export updates the same notes: nothing is added.
        export_anki_package(questions, out, protected=guard)
        col.import_anki_package(request)
        assert col.note_count() == len(questions)
    finally:
        col.close()


def test_an_export_with_history_carries_the_schedule_into_anki(
    database: Database, reviewed_package: dict[str, object], tmp_path: Path
) -> None:
    package, guid = reviewed_package["path"], reviewed_package["guid"]
    assert isinstance(package, Path)
    import_files(database, [package], anki_history=True)
    question = _by_identity(database)[f"anki:{guid}"]
    ours = CardRepository(database).card(question.id)
    assert ours is not None
    out = tmp_path / "with-history.apkg"
    guard = ProtectedFiles(database.path, database.path.parent / "backups")
    export_anki_package(QuestionBank(database).questions(), out, protected=guard, database=database)

    col = Collection(str(tmp_path / "reader.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(out), options=ImportAnkiPackageOptions(with_scheduling=True)
            )
        )
        note_id = col.db.scalar("SELECT id FROM notes WHERE guid = ?", guid)
        (card_id,) = col.card_ids_of_note(note_id)
        card = col.get_card(card_id)
        assert (card.type, card.reps) == (2, 3)
        assert col.db.scalar("SELECT count(*) FROM revlog WHERE cid = ?", card_id) == 3
        due = datetime.fromtimestamp(col.crt + card.due * 86_400, UTC)
        assert abs(due - ours.due) <= timedelta(days=1)
    finally:
        col.close()


def test_a_guid_with_any_of_ankis_characters_is_kept_on_export() -> None:
    def question(identity: str) -> Question:
        return Question(
            id=1,
            deck_id=1,
            deck="d",
            identity=identity,
            kind=QuestionKind.QA,
            topic="",
            prompt="p",
            reference="r",
            key_points=(),
            wrong_answer=None,
            tags=(),
            source_file="f",
            source_line=1,
            status=QuestionStatus.ACTIVE,
            position=0,
        )

    assert note_guid(question("anki:g:]76p!E0d")) == "g:]76p!E0d"  # base91 has ':' and more
    derived = note_guid(question("anki:g:]76p!E0d reversed"))
    assert derived != "g:]76p!E0d" and " " not in derived
    # A question of the notes keeps its guid when renumbered (its identity follows the number).
    assert note_guid(question("qa:Q3")) == note_guid(question("qa:Q2"))
    assert note_guid(question("qa:Q3")) != note_guid(dataclasses.replace(question("qa:Q3"), id=2))
