"""Rendering a chat as the prompt text a local model expects.

The template comes from the GGUF file's own metadata (`tokenizer.chat_template`), so any instruct
model works as it was trained. A model without one (a base model such as Gemma 3 270M) would get
llama-cpp-python's silent llama-2 fallback, which is wrong for almost every model; it gets a plain
completion prompt instead, and the backend says so (`template_source`).

The template is untrusted code: it renders in a child process with a time, memory and output
limit (`template_process`), and a template longer than `TEMPLATE_SOURCE_LIMIT` is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.grading.backend import ChatMessage
from desktop.grading.llama.template_process import TemplateFailed, TemplateLimits, TemplateProcess

TEMPLATE_KEY = "tokenizer.chat_template"
TEMPLATE_SOURCE_LIMIT = 1_000_000  # characters; real chat templates have a few thousand


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    add_bos: bool  # whether the tokenizer should add its BOS token (templates add their own)


class PromptRenderer:
    """Turns chat messages into prompt text for one model. A template that fails or passes a
    limit raises `TemplateFailed` (a `BackendUnavailable`) saying why."""

    def __init__(
        self,
        metadata: dict[str, str],
        *,
        bos_token: str,
        eos_token: str,
        limits: TemplateLimits | None = None,
    ) -> None:
        self.architecture = metadata.get("general.architecture", "")
        self._template = metadata.get(TEMPLATE_KEY, "").strip()
        if len(self._template) > TEMPLATE_SOURCE_LIMIT:
            raise TemplateFailed(
                f"The model's chat template is {len(self._template):,} characters long, more "
                f"than the {TEMPLATE_SOURCE_LIMIT:,} a chat template may have. Choose another "
                "model."
            )
        self._bos_token, self._eos_token = bos_token, eos_token
        self._process = TemplateProcess(limits) if self._template else None

    @property
    def template_source(self) -> str:
        """ "gguf" when the file's own chat template is used, else "plain completion"."""
        return "gguf" if self._process is not None else "plain completion"

    def render(
        self, messages: Sequence[ChatMessage], deadline: float | None = None
    ) -> RenderedPrompt:
        """`deadline` (monotonic): the grade's, when it ends before the render limit."""
        if self._process is None:
            return RenderedPrompt(plain_prompt(messages), add_bos=True)
        text = self._process.render(
            self._template,
            [{"role": message.role, "content": message.content} for message in messages],
            bos_token=self._bos_token,
            eos_token=self._eos_token,
            deadline=deadline,
        )
        return RenderedPrompt(text, add_bos=False)  # a template writes its own special tokens

    @property
    def child_pid(self) -> int | None:
        """The process id of the child that renders the template, while it runs."""
        return self._process.pid if self._process is not None else None

    def close(self) -> None:
        """Stops the template's child process (a new render would start another)."""
        if self._process is not None:
            self._process.close()


def plain_prompt(messages: Sequence[ChatMessage]) -> str:
    """A completion prompt any base model can continue: sections, then the reply's opening."""
    parts: list[str] = []
    for message in messages:
        if message.role == "system":
            parts.append(f"Instructions:\n{message.content}")
        elif message.role == "user":
            parts.append(message.content)
        else:
            parts.append(f"Reply:\n{message.content}")
    parts.append("Reply (JSON):\n")
    return "\n\n".join(parts)
