"""`backup` and `restore`: copies of the database file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.context import EXIT_OK, CliContext, add_common_options, add_json_option, print_json
from desktop.storage import backups
from desktop.storage.restore import restore_backup


def register(subparsers: Any) -> None:
    backup = subparsers.add_parser("backup", help="back up the database now")
    add_common_options(backup)
    add_json_option(backup)
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore", help="replace the database with a backup (the current one is backed up first)"
    )
    add_common_options(restore)
    add_json_option(restore)
    restore.add_argument("file", type=Path, help="a backup file")
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace, context: CliContext) -> int:
    context.viva.close()  # opening migrates a new file, so there is something to copy
    made = backups.backup_file(context.paths.database, context.paths.backups_dir)
    if args.json:
        print_json({"backup": str(made)})
    else:
        print(f"Backed up to {made}")
    return EXIT_OK


def run_restore(args: argparse.Namespace, context: CliContext) -> int:
    safety = restore_backup(args.file, context.paths.database, context.paths.backups_dir)
    if args.json:
        print_json(
            {"restored": str(args.file), "previous_saved_as": str(safety) if safety else None}
        )
    else:
        print(f"Restored {args.file}")
        if safety:
            print(f"The database it replaced was saved as {safety}")
    return EXIT_OK
