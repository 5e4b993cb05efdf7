"""Rendering a chat as the prompt text a local model expects.

The template comes from the GGUF file's own metadata (`tokenizer.chat_template`), so any instruct
model works as it was trained. A model without one (a base model such as Gemma 3 270M) would get
llama-cpp-python's silent llama-2 fallback, which is wrong for almost every model; it gets a plain
completion prompt instead, and the backend says so (`template_source`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop.grading.backend import ChatMessage

TEMPLATE_KEY = "tokenizer.chat_template"


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    add_bos: bool  # whether the tokenizer should add its BOS token (templates add their own)


class PromptRenderer:
    """Turns chat messages into prompt text for one model."""

    def __init__(self, metadata: dict[str, str], *, bos_token: str, eos_token: str) -> None:
        self.architecture = metadata.get("general.architecture", "")
        template = metadata.get(TEMPLATE_KEY, "").strip()
        self._formatter: Any = None
        if template:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            self._formatter = Jinja2ChatFormatter(
                template=template, eos_token=eos_token, bos_token=bos_token
            )

    @property
    def template_source(self) -> str:
        """ "gguf" when the file's own chat template is used, else "plain completion"."""
        return "gguf" if self._formatter is not None else "plain completion"

    def render(self, messages: Sequence[ChatMessage]) -> RenderedPrompt:
        if self._formatter is not None:
            result = self._formatter(
                messages=[
                    {"role": message.role, "content": message.content} for message in messages
                ]
            )
            return RenderedPrompt(str(result.prompt), add_bos=not result.added_special)
        return RenderedPrompt(plain_prompt(messages), add_bos=True)


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
