"""A model's chat template is untrusted code: it renders in a child process that is stopped at
its time limit, its memory capped and its output cut off, and every way it fails becomes a
message (the grade keeps word matching, labelled with it) instead of a traceback, a hang or
gigabytes of memory."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from desktop.cli import main
from desktop.core.grading.grades import GradingTask
from desktop.grading.backend import BackendTimeout, ChatMessage
from desktop.grading.judging.engine import GradingEngine
from desktop.grading.llama import local, template_worker
from desktop.grading.llama.chat_render import TEMPLATE_KEY, TEMPLATE_SOURCE_LIMIT, PromptRenderer
from desktop.grading.llama.llama_loading import LoadedModel, load_llama
from desktop.grading.llama.local import LocalLlamaBackend
from desktop.grading.llama.template_process import TemplateFailed, TemplateLimits, worker_command
from desktop.grading.model_files.catalog import RECOMMENDED
from desktop.grading.model_files.gguf import read_gguf_header
from desktop.grading.settings import ModelSettings
from desktop.paths import install_models_dir

LIMITS = TemplateLimits(time_s=1.0, output_chars=100_000, memory_bytes=64 * 2**20)
MARGIN_S = 0.5
MESSAGES = [
    ChatMessage("system", "Grade the answer."),
    ChatMessage("user", 'Is "append" O(1)? <|im_end|> {{ 7 * 7 }}'),
]
LOOPS_WITHOUT_WRITING = (
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
)
LOOPS_WRITING = (
    "{% for i in range(99999) %}{% for j in range(99999) %}{{ i }}{% endfor %}{% endfor %}"
)
DOUBLES_A_STRING = (
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}{{ ns.s | length }}"
)
TASK = GradingTask(
    prompt="What does a Python list's append cost?",
    reference="Amortised O(1): the array over-allocates, so resizes are rare.",
    key_points=("amortised constant time", "over-allocation makes resizes rare"),
)
ANSWER = "Amortised O(1), because the list over-allocates and rarely resizes."


@contextlib.contextmanager
def renderer_for(template: str) -> Iterator[PromptRenderer]:
    renderer = PromptRenderer(
        {TEMPLATE_KEY: template}, bos_token="<s>", eos_token="</s>", limits=LIMITS
    )
    try:
        yield renderer
    finally:
        renderer.close()


@pytest.fixture
def render() -> Iterator[Callable[[str], str]]:
    """Renders MESSAGES with a template (under LIMITS), closing every renderer afterwards."""
    with contextlib.ExitStack() as renderers:
        yield lambda template: renderers.enter_context(renderer_for(template)).render(MESSAGES).text


def llama_cpp_rendering(template: str) -> str:
    formatter = Jinja2ChatFormatter(template=template, eos_token="</s>", bos_token="<s>")
    messages = [{"role": message.role, "content": message.content} for message in MESSAGES]
    return str(formatter(messages=messages).prompt)  # type: ignore[arg-type]


def model_templates(embedded_gguf: Path) -> list[str]:
    paths = [embedded_gguf, install_models_dir() / RECOMMENDED.file_name]
    return [read_gguf_header(path).chat_template for path in paths if path.is_file()]


def test_prompts_render_exactly_as_llama_cpp_renders_them(
    embedded_gguf: Path, render: Callable[[str], str]
) -> None:
    extras = (
        "{% for m in messages %}{% if loop.index > 5 %}{% break %}{% endif %}"
        "{% generation %}{{ m | tojson }}{% endgeneration %}{% endfor %}{{ eos_token }}"
    )
    templates = [*model_templates(embedded_gguf), extras]
    assert len(templates) >= 2 and all(templates)
    for template in templates:
        assert render(template) == llama_cpp_rendering(template)


def test_a_model_without_a_template_gets_a_plain_prompt() -> None:
    renderer = PromptRenderer({}, bos_token="", eos_token="")
    prompt = renderer.render(MESSAGES)
    assert renderer.template_source == "plain completion" and prompt.add_bos
    assert prompt.text.startswith("Instructions:\nGrade the answer.")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ raise_exception('Roles must alternate') }}", "refused the conversation: Roles must"),
        ("{% if messages %}unclosed", "cannot be read: Unexpected end of template"),
        ("{% for %}", "cannot be read: "),
        ("{{ no_such_function() }}", "uses something it never defines: 'no_such_function'"),
        ("{{ 1 / 0 }}", "failed: ZeroDivisionError: division by zero"),
        ("{{ messages.append(1) }}", "the template sandbox forbids: access to attribute 'append'"),
        ("{{ ''.__class__.__mro__ }}", "the template sandbox forbids"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "calls itself too deeply"),
        ("{{ 'x' * 200000 }}", "wrote more than 100,000 characters of prompt"),
        (DOUBLES_A_STRING, "needed more than 64 MiB of memory"),
    ],
)
def test_a_failing_template_is_explained(
    render: Callable[[str], str], template: str, expected: str
) -> None:
    with pytest.raises(TemplateFailed) as failed:
        render(template)
    assert expected in str(failed.value)
    assert str(failed.value).endswith("Choose another model, or a copy of this one whose chat "
                                      "template works.")  # fmt: skip


def peak_rss_while(renderer: PromptRenderer, work: Callable[[], object]) -> int:
    """The highest resident memory of the renderer's child process while `work` runs (bytes,
    sampled every 5 ms; Linux)."""
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            pid = renderer.child_pid
            if pid is not None:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    status = ""
                for line in status.splitlines():
                    if line.startswith("VmRSS:"):
                        peak = max(peak, int(line.split()[1]) * 1024)
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        work()
    finally:
        done.set()
        sampler.join()
    return peak


@pytest.mark.skipif(sys.platform != "linux", reason="reads the child's memory from /proc")
@pytest.mark.parametrize(
    ("template", "expected", "bound_s"),
    [
        (LOOPS_WITHOUT_WRITING, "did not finish within 1 s", LIMITS.time_s + MARGIN_S),
        (LOOPS_WRITING, "wrote more than 100,000 characters", LIMITS.time_s),
        (DOUBLES_A_STRING, "needed more than 64 MiB", LIMITS.time_s),
    ],
    ids=["loops without writing", "loops writing", "doubles a string"],
)
def test_a_runaway_template_stops_within_its_bounds(
    template: str, expected: str, bound_s: float
) -> None:
    with renderer_for(template) as renderer:
        started = time.monotonic()

        def render() -> None:
            with pytest.raises(TemplateFailed, match=expected):
                renderer.render(MESSAGES)

        peak = peak_rss_while(renderer, render)
        elapsed = time.monotonic() - started
        assert elapsed < bound_s + 1.0, elapsed  # + the child's start, once
        assert peak < 200 * 2**20, peak  # the child's own ~30 MiB, the 64 MiB cap, room


def test_a_renderer_works_again_after_stopping_a_template() -> None:
    with renderer_for(LOOPS_WITHOUT_WRITING) as renderer:
        with pytest.raises(TemplateFailed):
            renderer.render(MESSAGES)
        started = time.monotonic()
        with pytest.raises(TemplateFailed, match="did not finish within 1 s"):
            renderer.render(MESSAGES)
        assert time.monotonic() - started < LIMITS.time_s + 1.0 + MARGIN_S


def test_a_grade_deadline_before_the_render_limit_stops_the_render_at_the_deadline() -> None:
    with renderer_for(LOOPS_WITHOUT_WRITING) as renderer:
        started = time.monotonic()
        with pytest.raises(BackendTimeout, match="time ran out"):
            renderer.render(MESSAGES, deadline=started + 0.3)
        # The child's start (once) and the deadline, well inside the 1 s render limit.
        assert time.monotonic() - started < 0.3 + 1.0, time.monotonic() - started


def test_a_template_too_long_is_refused_before_anything_runs() -> None:
    with pytest.raises(TemplateFailed, match="more than the 1,000,000 a chat template may have"):
        PromptRenderer(
            {TEMPLATE_KEY: "x" * (TEMPLATE_SOURCE_LIMIT + 1)}, bos_token="", eos_token=""
        )


@pytest.mark.skipif(sys.platform == "win32", reason="passes the channel as a file descriptor")
def test_the_bundle_starts_the_child_through_its_entry_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert worker_command(LIMITS, "5")[:2] == [sys.executable, template_worker.BUNDLE_FLAG]
    monkeypatch.undo()
    # What the bundled executable runs: desktop/__main__.py with the flag.
    ours, theirs = socket.socketpair()
    with ours, theirs:
        child = subprocess.Popen(
            [sys.executable, "-m", "desktop", template_worker.BUNDLE_FLAG, "67108864", "1000",
             str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
        )  # fmt: skip
        theirs.close()
        request = {"source": "{{ messages[0].content }}!", "messages": [{"role": "user",
                   "content": "hi"}], "bos_token": "", "eos_token": ""}  # fmt: skip
        ours.settimeout(60)
        ours.sendall(json.dumps(request).encode() + b"\n")
        ours.shutdown(socket.SHUT_WR)  # the child ends after the last request
        with ours.makefile("rb") as replies:
            lines = [json.loads(line) for line in replies]
        assert child.wait(timeout=60) == 0
    assert lines == [
        {"kind": template_worker.READY, "text": ""},
        {"kind": template_worker.RENDERED, "text": "hi!"},
    ]


@pytest.mark.model
def test_a_grade_with_a_looping_template_keeps_word_matching_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def with_looping_template(path: Path, settings: ModelSettings) -> LoadedModel:
        loaded = load_llama(path, settings)
        looping = PromptRenderer(
            {TEMPLATE_KEY: LOOPS_WITHOUT_WRITING}, bos_token="", eos_token="", limits=LIMITS
        )
        return LoadedModel(loaded.llama, looping)

    monkeypatch.setattr(local, "load_llama", with_looping_template)
    backend = LocalLlamaBackend(ModelSettings(model="embedded", n_threads=1, timeout_s=30))
    try:
        backend.load()
        started = time.monotonic()
        grade = GradingEngine(backend, reliability=0.8, timeout_s=30).grade(TASK, ANSWER)
        elapsed = time.monotonic() - started
    finally:
        backend.close()
    assert grade.word_matching_only
    assert "chat template did not finish within 1 s" in grade.reason
    assert elapsed < LIMITS.time_s + 1.0 + MARGIN_S, elapsed


def process_state(pid: int) -> str:
    """The state letter in /proc (Z: exited, not yet reaped), or "" once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


@pytest.mark.skipif(sys.platform != "linux", reason="reads process states from /proc")
def test_the_child_ends_with_the_app_even_in_the_middle_of_a_loop() -> None:
    loops_when_asked = (
        "{% if messages[0].content == 'loop' %}" + LOOPS_WITHOUT_WRITING + "{% endif %}ready"
    )
    script = (
        "import sys\n"
        "from desktop.grading.backend import BackendTimeout, ChatMessage\n"
        "from desktop.grading.llama.chat_render import TEMPLATE_KEY, PromptRenderer\n"
        "from desktop.grading.llama.template_process import TemplateLimits\n"
        "renderer = PromptRenderer({TEMPLATE_KEY: sys.argv[1]}, bos_token='', eos_token='',\n"
        "                          limits=TemplateLimits(time_s=600))\n"
        "assert renderer.render([ChatMessage('user', 'hi')]).text == 'ready'\n"
        "print(renderer.child_pid, flush=True)\n"
        "renderer.render([ChatMessage('user', 'loop')])\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script, loops_when_asked], stdout=subprocess.PIPE
    ) as app:
        try:
            assert app.stdout is not None
            child = int(app.stdout.readline())
            time.sleep(0.5)  # the child is in the loop now
            assert process_state(child) == "R"
        finally:
            app.kill()
    try:
        ends = time.monotonic() + 3.0
        while process_state(child) not in ("", "Z") and time.monotonic() < ends:
            time.sleep(0.05)
        assert process_state(child) in ("", "Z")
    finally:
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)  # when the test fails, the loop must not go on


def with_chat_template(source: Path, target: Path, template: str) -> Path:
    """A copy of the GGUF file `source` whose chat template is `template`, padded with spaces
    to the length of the one it replaces (so the weights stay where the header says)."""
    data = source.read_bytes()
    key = b"tokenizer.chat_template"
    entry = struct.pack("<Q", len(key)) + key + struct.pack("<I", 8)  # 8: a string value
    at = data.find(entry) + len(entry)
    assert at >= len(entry), f"{source} has no chat template"
    (length,) = struct.unpack_from("<Q", data, at)
    replaced = template.encode()
    assert len(replaced) <= length
    start = at + 8
    target.write_bytes(data[:start] + replaced.ljust(length) + data[start + length :])
    return target


def test_models_check_with_a_template_that_raises_exits_2_with_the_reason(
    embedded_gguf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = with_chat_template(
        embedded_gguf, tmp_path / "raising.gguf", "{{ raise_exception('Roles must alternate') }}"
    )
    code = main(["models", "check", str(model), "--timeout", "60"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "chat template refused the conversation: Roles must alternate" in err
    assert "Traceback" not in err
