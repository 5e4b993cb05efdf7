"""How fast notes are imported: the seed (the built-in bank) and a generated file with 10,000
questions in the seed's shape (qa blocks with code, traps, stories).

Prints the median of several runs of each step, measured separately:

- parse: reading the file and parsing it into questions (`parse_notes_file`);
- apply: writing a parsed file into a fresh database (one transaction);
- re-apply: importing the same file again into that database (nothing changes);
- dry run: planning an import of an edited file without writing.

Usage: python benchmarks/import_speed.py [--runs N] [--questions N]
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path

from timing import median_seconds  # benchmarks/timing.py: scripts run from this folder

from desktop.importers import parse_notes_file
from desktop.paths import builtin_bank_files
from desktop.storage.database import Database
from desktop.storage.question_bank import QuestionBank


def generate_notes(questions: int, per_section: int = 50) -> str:
    """Every 25th block a trap, every 40th a story, the rest qa blocks with a code block."""
    parts = ["# Generated Interview Notes", ""]
    for number in range(1, questions + 1):
        if (number - 1) % per_section == 0:
            section = (number - 1) // per_section + 1
            parts += [f"## {section}. Section {section}", "", "### Questions", ""]
        if number % 25 == 0:
            parts += [
                f'#### Trap {number}: "Trap {number}"',
                "",
                f"**Question**: What goes wrong in case {number}?",
                "",
                '**Wrong Answer**: "Nothing."',
                "",
                "**Correct Answer**:",
                f"- Point one of {number}",
                "- Point two",
            ]
        elif number % 40 == 0:
            parts += [
                f"#### Story {number}: Incident {number}",
                "",
                f"**Scenario**: Service {number} went down.",
                "",
                "**Issue**: A missing timeout.",
                "",
                "**Lesson**: **Always set timeouts**",
            ]
        else:
            parts += [
                f"**Q{number}**: Explain topic {number}. When would you use it?",
                "",
                "**Expected Answer**:",
                f"1. **Idea {number}**: the main idea",
                "   - a nested detail",
                "2. Second step with `code`",
                "```python",
                f"def answer_{number}():",
                "    # a comment, not a heading",
                f"    return {number}",
                "```",
                "",
                "**Gotcha**: mind the edge cases.",
            ]
        parts += ["", "---", ""]
    return "\n".join(parts) + "\n"


def _ms(seconds: tuple[float, float]) -> str:
    return f"{seconds[0] * 1000:>6.0f} ms ({seconds[1] * 1000:>5.0f} CPU)"


def measure(label: str, path: Path, runs: int, folder: Path) -> None:
    notes = parse_notes_file(path)
    parse = median_seconds(lambda: parse_notes_file(path), runs)

    databases = iter(range(10_000))

    def apply_fresh() -> None:
        db = Database.open(folder / f"{label}-{next(databases)}.sqlite3")
        try:
            QuestionBank(db).apply_import([notes])
        finally:
            db.close()

    apply = median_seconds(apply_fresh, runs)

    db = Database.open(folder / f"{label}-again.sqlite3")
    bank = QuestionBank(db)
    bank.apply_import([notes])
    again = median_seconds(lambda: bank.apply_import([notes]), runs)
    edited = dataclasses.replace(
        notes,
        questions=tuple(
            dataclasses.replace(q, reference=q.reference + " (edited)") if i % 10 == 0 else q
            for i, q in enumerate(notes.questions)
        ),
    )
    dry = median_seconds(lambda: bank.apply_import([edited], dry_run=True), runs)
    db.close()

    size = path.stat().st_size / 1024
    print(f"{label}: {len(notes.questions)} questions, {size:.0f} KiB")
    print(f"  parse                      {_ms(parse)}")
    print(f"  apply (fresh database)     {_ms(apply)}")
    print(f"  re-apply (nothing changed) {_ms(again)}")
    print(f"  dry run (10% edited)       {_ms(dry)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--questions", type=int, default=10_000, help="generated file's size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="viva-import-bench-") as tmp:
        folder = Path(tmp)
        generated = folder / "generated.md"
        generated.write_text(generate_notes(args.questions), encoding="utf-8")
        print(f"median of {args.runs} runs each: wall-clock time (CPU time of this process)")
        (seed,) = builtin_bank_files()
        measure("seed (built-in bank)", seed, args.runs, folder)
        measure(f"generated ({args.questions:,})", generated, args.runs, folder)


if __name__ == "__main__":
    main()
