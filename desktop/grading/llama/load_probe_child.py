"""The child side of the load probe: opens a model file with llama.cpp, evaluates one token and
says how that went as one line on stdout. It runs in a process of its own
(`desktop.grading.llama.load_probe` starts it), so a llama.cpp abort stops only this process.
"""

from __future__ import annotations

import json
from pathlib import Path

from desktop.grading.backend import BackendError
from desktop.grading.llama.llama_loading import open_llama
from desktop.grading.settings import ModelSettings

REPORT_PREFIX = "viva-load-probe: "
# Small and on the CPU: the probe asks whether llama.cpp can open and run the file at all.
PROBE_SETTINGS = ModelSettings(n_ctx=256, n_threads=1, n_gpu_layers=0)


def probe_file(path: Path) -> int:
    """Opens `path`, evaluates one token, prints the outcome; 0 when the file works, else 1."""
    problem = ""
    try:
        llama = open_llama(path, PROBE_SETTINGS.with_model(str(path)))
        try:
            tokens = list(llama.tokenize(b"Hello", add_bos=True))[:1] or [llama.token_bos()]
            llama.eval(tokens)
        finally:
            llama.close()
    except BackendError as error:
        problem = f"llama.cpp refused it ({error})"
    except (ValueError, RuntimeError, OSError) as error:
        problem = f"llama.cpp failed to run it ({error})"
    print(REPORT_PREFIX + json.dumps({"usable": not problem, "problem": problem}), flush=True)
    return 1 if problem else 0
