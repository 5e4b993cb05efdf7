"""Rendering untrusted chat templates in a child process with a time, memory and output limit.

A template is Jinja code from the model file. In this process nothing could stop a template that
loops without writing, or one that builds a string of gigabytes in a single step, before it
took the app's time or memory; a child process can be stopped at any instant and its memory
capped by the operating system. One child serves every render of a model (a render costs a
round trip of about a millisecond); it starts at the first render, and again after a render it
had to stop. Requests and replies are JSON lines on a socket pair, whose timeouts bound every
wait for the child without a thread.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.grading.backend import BackendTimeout, BackendUnavailable
from desktop.grading.llama import template_worker as worker

STARTUP_LIMIT_S = 60.0  # starting Python and Jinja: well under a second on an idle machine
_WHAT_TO_DO = "Choose another model, or a copy of this one whose chat template works."


_LEAST_WAIT_S = 0.01  # a deadline already past still gets one short wait for the reply


class TemplateFailed(BackendUnavailable):
    """The model's chat template could not render a prompt; the message says why."""


@dataclass(frozen=True)
class TemplateLimits:
    time_s: float = 5.0  # real templates take milliseconds
    output_chars: int = 2_000_000  # more than any model's context holds
    memory_bytes: int = 512 * 2**20  # beyond what the child uses once started


def failure_message(kind: str, detail: str, limits: TemplateLimits) -> str:
    """The message for a render that failed in the child (a `template_worker` failure kind)."""
    what = {
        worker.SYNTAX: f"cannot be read: {detail}",
        worker.RAISED: f"refused the conversation: {detail}",
        worker.UNDEFINED: f"uses something it never defines: {detail}",
        worker.UNSAFE: f"tried something the template sandbox forbids: {detail}",
        worker.TOO_LONG: (
            f"wrote more than {limits.output_chars:,} characters of prompt (it repeats without "
            "end), so it was stopped"
        ),
        worker.OUT_OF_MEMORY: (
            f"needed more than {limits.memory_bytes // 2**20} MiB of memory, so it was stopped"
        ),
        worker.TOO_DEEP: "calls itself too deeply",
        worker.FAILED: f"failed: {detail}",
    }.get(kind, f"failed ({kind}): {detail}")
    return f"The model's chat template {what}. {_WHAT_TO_DO}"


def worker_command(limits: TemplateLimits, channel: str) -> list[str]:
    """How to start the child (the bundled executable has a flag for it)."""
    if getattr(sys, "frozen", False):
        start = [sys.executable, worker.BUNDLE_FLAG]
    else:
        start = [sys.executable, "-P", "-m", worker.__name__]
    return [*start, str(limits.memory_bytes), str(limits.output_chars), channel]


def _worker_environment() -> dict[str, str]:
    """This environment, with the folder holding the `desktop` package first on the path."""
    environment = dict(os.environ)
    package_root = str(Path(worker.__file__).resolve().parents[3])
    inherited = environment.get("PYTHONPATH", "")
    environment["PYTHONPATH"] = os.pathsep.join(part for part in (package_root, inherited) if part)
    return environment


def _start(limits: TemplateLimits, theirs: socket.socket) -> subprocess.Popen[bytes]:
    """The child, given its end of the socket pair: passed down as a file descriptor, or on
    Windows shared through its standard input."""
    if sys.platform == "win32":
        process = subprocess.Popen(
            worker_command(limits, worker.SHARED),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_worker_environment(),
        )
        assert process.stdin is not None
        with process.stdin as shared:
            shared.write(theirs.share(process.pid).hex().encode() + b"\n")
        return process
    return subprocess.Popen(
        worker_command(limits, str(theirs.fileno())),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(theirs.fileno(),),
        env=_worker_environment(),
    )


class _Child:
    """A running child process and this end of the socket pair it talks on (JSON lines; a
    socket, so that a reply can be awaited with a time limit on every platform)."""

    def __init__(self, limits: TemplateLimits) -> None:
        self._socket, theirs = socket.socketpair()
        try:
            self.process = _start(limits, theirs)
        except BaseException:
            self._socket.close()
            raise
        finally:
            theirs.close()
        self._replies = self._socket.makefile("rb")

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def send(self, request: dict[str, Any], within_s: float) -> None:
        """Raises `OSError` when the child has gone (or takes no request in time)."""
        self._socket.settimeout(within_s)
        self._socket.sendall(json.dumps(request).encode() + b"\n")

    def reply(self, within_s: float) -> tuple[str, str] | None:
        """The next reply; None when none came in time; `EOFError` when the child has gone."""
        self._socket.settimeout(within_s)
        try:
            line = self._replies.readline()
        except TimeoutError:
            return None
        if not line:
            raise EOFError
        reply = json.loads(line)
        return str(reply["kind"]), str(reply["text"])

    def stop(self) -> int | None:
        """Stops the child at once (it may be stuck in a loop); its exit status."""
        if self.running:
            self.process.kill()
        for channel in (self._replies, self._socket):
            with contextlib.suppress(OSError):
                channel.close()
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return None


class _Children:
    """The current child, so that a finalizer can stop it without holding the renderer."""

    def __init__(self) -> None:
        self.current: _Child | None = None

    def stop(self) -> int | None:
        child, self.current = self.current, None
        return child.stop() if child is not None else None


class TemplateProcess:
    """Renders chat templates in a child process, one render at a time. `render` raises
    `TemplateFailed` with the reason when a template fails or passes a limit."""

    def __init__(self, limits: TemplateLimits | None = None) -> None:
        self.limits = limits or TemplateLimits()
        self._lock = threading.Lock()
        self._children = _Children()
        self._finalizer = weakref.finalize(self, self._children.stop)

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        child = self._children.current
        return child.process.pid if child is not None and child.running else None

    def render(
        self,
        source: str,
        messages: list[dict[str, str]],
        *,
        bos_token: str,
        eos_token: str,
        deadline: float | None = None,
    ) -> str:
        """The rendered prompt, within the render limit or before `deadline` (the grade's,
        on the monotonic clock) when that comes first."""
        within_s = self.limits.time_s
        if deadline is not None:
            within_s = max(_LEAST_WAIT_S, min(within_s, deadline - time.monotonic()))
        request = {
            "source": source,
            "messages": messages,
            "bos_token": bos_token,
            "eos_token": eos_token,
        }
        with self._lock:
            child = self._running()
            try:
                child.send(request, within_s)
                reply = child.reply(within_s)
            except (EOFError, OSError, ValueError, KeyError):
                status = self._children.stop()
                raise TemplateFailed(
                    "The process rendering the model's chat template stopped unexpectedly "
                    f"(exit status {status}). {_WHAT_TO_DO}"
                ) from None
            if reply is None:
                self._children.stop()
                if within_s < self.limits.time_s:
                    raise BackendTimeout(
                        "The grade's time ran out while the model's chat template was still "
                        "rendering its prompt."
                    )
                raise TemplateFailed(
                    f"The model's chat template did not finish within {self.limits.time_s:g} s "
                    f"(it loops or does far too much work), so it was stopped. {_WHAT_TO_DO}"
                )
            kind, text = reply
            if kind == worker.OUT_OF_MEMORY:
                self._children.stop()  # the child exits after running out of memory
            if kind != worker.RENDERED:
                raise TemplateFailed(failure_message(kind, text, self.limits))
            return text

    def close(self) -> None:
        with self._lock:
            self._children.stop()

    def _running(self) -> _Child:
        current = self._children.current
        if current is not None and current.running:
            return current
        self._children.stop()
        try:
            child = _Child(self.limits)
        except OSError as error:
            raise BackendUnavailable(
                f"The process that renders chat templates could not start: {error}."
            ) from None
        self._children.current = child
        try:
            ready = child.reply(STARTUP_LIMIT_S)
        except (EOFError, OSError, ValueError, KeyError):
            ready = None
        if ready is None or ready[0] != worker.READY:
            status = self._children.stop()
            raise BackendUnavailable(
                f"The process that renders chat templates did not start (exit status {status})."
            )
        return child
