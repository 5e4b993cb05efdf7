"""The child process that renders a model's chat template, under limits the template cannot
escape: the parent stops it at the time limit, the operating system caps its memory, and the
prompt it writes is capped in length here. A template is the model file's own Jinja code, so it is
untrusted: it can loop, raise, or build strings without end.

The child is started as `python -m desktop.grading.llama.template_worker` (the bundled executable
starts it with `--chat-template-worker`). The environment matches llama-cpp-python's
`Jinja2ChatFormatter` (itself aligned with Transformers), so a prompt renders exactly as the
model was trained on. This module imports only the standard library and Jinja: the child starts
fast and holds nothing of the app.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
from datetime import datetime
from typing import Any, BinaryIO, NoReturn

import jinja2
import jinja2.ext
import jinja2.nodes
import jinja2.parser
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

BUNDLE_FLAG = "--chat-template-worker"  # desktop/__main__.py starts the child with it
SHARED = "shared"  # the channel comes through the standard input (Windows)
READY = "ready"
RENDERED = "rendered"
# The ways a render fails, sent back with a detail for the parent's message.
SYNTAX = "syntax"
RAISED = "raised"
UNDEFINED = "undefined"
UNSAFE = "unsafe"
TOO_LONG = "too long"
OUT_OF_MEMORY = "out of memory"
TOO_DEEP = "too deep"
FAILED = "failed"

_DETAIL_CHARS = 300


class _TemplateRaised(Exception):
    """The template called `raise_exception(message)`."""


class _OutputTooLong(Exception):
    """The template wrote more than the output limit."""


class _IgnoreGenerationTags(jinja2.ext.Extension):
    """Passes HuggingFace's `{% generation %}` chat-template tag through."""

    tags = {"generation"}  # noqa: RUF012 (Jinja's Extension declares it a plain set)

    def parse(self, parser: jinja2.parser.Parser) -> list[jinja2.nodes.Node]:
        parser.stream.skip(1)
        return parser.parse_statements(("name:endgeneration",), drop_needle=True)


def _tojson(
    value: Any,
    ensure_ascii: bool = False,
    indent: int | None = None,
    separators: tuple[str, str] | None = None,
    sort_keys: bool = False,
) -> str:
    return json.dumps(
        value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys
    )


def _raise_exception(message: str) -> NoReturn:
    raise _TemplateRaised(message)


def _strftime_now(layout: str) -> str:
    return datetime.now().strftime(layout)


def chat_environment() -> ImmutableSandboxedEnvironment:
    environment = ImmutableSandboxedEnvironment(
        loader=jinja2.BaseLoader(),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[_IgnoreGenerationTags, jinja2.ext.loopcontrols],
    )
    environment.filters["tojson"] = _tojson
    return environment


def template_variables(
    messages: list[dict[str, str]], *, bos_token: str, eos_token: str
) -> dict[str, Any]:
    """What a chat template is given, as llama-cpp-python gives it."""
    return {
        "messages": messages,
        "eos_token": eos_token,
        "bos_token": bos_token,
        "raise_exception": _raise_exception,
        "add_generation_prompt": True,
        "functions": None,
        "function_call": None,
        "tools": None,
        "tool_choice": None,
        "strftime_now": _strftime_now,
    }


def render_capped(template: jinja2.Template, variables: dict[str, Any], output_limit: int) -> str:
    """The rendered text; `_OutputTooLong` as soon as it passes `output_limit` characters."""
    pieces: list[str] = []
    written = 0
    for piece in template.generate(**variables):
        written += len(piece)
        if written > output_limit:
            raise _OutputTooLong
        pieces.append(piece)
    return "".join(pieces)


def _detail(error: BaseException) -> str:
    text = str(error).strip().rstrip(".") or type(error).__name__
    return text if len(text) <= _DETAIL_CHARS else text[: _DETAIL_CHARS - 1] + "…"


def render_reply(
    environment: jinja2.Environment,
    compiled: dict[str, jinja2.Template],
    request: dict[str, Any],
    output_limit: int,
) -> tuple[str, str]:
    """(RENDERED, prompt) or (the kind of failure, its detail). A request has the template's
    `source`, the `messages` and the `bos_token` and `eos_token`."""
    source, messages = str(request["source"]), list(request["messages"])
    bos_token, eos_token = str(request["bos_token"]), str(request["eos_token"])
    try:
        template = compiled.get(source)
        if template is None:
            template = compiled[source] = environment.from_string(source)
        variables = template_variables(messages, bos_token=bos_token, eos_token=eos_token)
        return RENDERED, render_capped(template, variables, output_limit)
    except jinja2.TemplateSyntaxError as error:
        return SYNTAX, f"{_detail(error)} (line {error.lineno})"
    except _TemplateRaised as error:
        return RAISED, _detail(error)
    except jinja2.UndefinedError as error:
        return UNDEFINED, _detail(error)
    except SecurityError as error:
        return UNSAFE, _detail(error)
    except _OutputTooLong:
        return TOO_LONG, ""
    except MemoryError:
        return OUT_OF_MEMORY, ""
    except RecursionError:
        return TOO_DEEP, ""
    except Exception as error:  # the template's own code failed: any error is its message
        return FAILED, f"{type(error).__name__}: {_detail(error)}"


def _cap_address_space(extra_bytes: int) -> None:
    """Lets the process grow by at most `extra_bytes` of address space beyond what it uses now
    (where the operating system supports the limit)."""
    try:
        import resource
    except ImportError:  # not on this platform: the time and output limits still hold
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            in_use = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return  # what the process uses now is unknown: a limit could stop it at once
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = in_use + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _send(channel: BinaryIO, kind: str, text: str) -> None:
    channel.write(json.dumps({"kind": kind, "text": text}).encode() + b"\n")
    channel.flush()


def serve(requests: BinaryIO, replies: BinaryIO, *, memory_bytes: int, output_chars: int) -> None:
    """One render per request line until the parent closes the channel. After running out of
    memory the child exits, and the parent starts a fresh one for the next render."""
    _cap_address_space(memory_bytes)
    environment = chat_environment()
    compiled: dict[str, jinja2.Template] = {}
    _send(replies, READY, "")
    for line in requests:
        try:
            request = json.loads(line)
            kind, text = render_reply(environment, compiled, request, output_chars)
        except MemoryError:
            kind, text = OUT_OF_MEMORY, ""
        _send(replies, kind, text)
        if kind == OUT_OF_MEMORY:
            return


def _exit_when_orphaned(interval_s: float = 0.5) -> None:
    """Ends this process once its parent has gone, even in the middle of a template that loops:
    a timer signal looks every `interval_s` (its handler runs between the template's steps).
    Where there is no such timer (Windows), the parent's stop is the only one."""
    if not hasattr(signal, "setitimer"):
        return
    parent = os.getppid()

    def look(signum: int, frame: object) -> None:
        if os.getppid() != parent:
            os._exit(0)

    signal.signal(signal.SIGALRM, look)
    signal.setitimer(signal.ITIMER_REAL, interval_s, interval_s)


def _channel(name: str) -> socket.socket:
    """This end of the socket pair: a file descriptor passed down, or (Windows, `SHARED`) the
    socket the parent shares through the standard input."""
    if sys.platform == "win32" and name == SHARED:
        return socket.fromshare(bytes.fromhex(sys.stdin.readline().strip()))
    return socket.socket(fileno=int(name))


def main(arguments: list[str]) -> int:
    """`python -m desktop.grading.llama.template_worker MEMORY_BYTES OUTPUT_CHARS CHANNEL`: requests
    and replies are JSON lines on the socket CHANNEL names (see `_channel`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the app, which stops us
    memory, output, name = arguments
    _exit_when_orphaned()
    with (
        _channel(name) as channel,
        channel.makefile("rb") as requests,
        channel.makefile("wb") as replies,
        contextlib.suppress(OSError),
    ):
        serve(requests, replies, memory_bytes=int(memory), output_chars=int(output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
