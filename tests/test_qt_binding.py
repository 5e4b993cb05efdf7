"""The pinned Qt binding must not leak references on this Python.

PySide6 6.12.0's abi3 wheels drop one reference to None per Qt call that returns nothing when
run on Python 3.11, aborting the interpreter after a few thousand calls; 6.11.3 does not.
"""

from __future__ import annotations

import subprocess
import sys


def test_many_qt_calls_that_return_nothing_do_not_abort_the_interpreter() -> None:
    code = (
        "from PySide6.QtCore import QObject\n"
        "thing = QObject()\n"
        "for _ in range(100_000):\n"
        "    thing.setObjectName('x')\n"
        "print(thing.objectName())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "x"
