"""What one backend call cost in tokens: the figures that show the KV-cache prefix was reused."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CallStats:
    """`evaluated_tokens` of the prompt's `prompt_tokens` were run through the model; the other
    `reused_tokens` came from the KV cache left by an earlier call or a prefill."""

    kind: str  # "prefill" | "complete"
    prompt_tokens: int
    reused_tokens: int
    evaluated_tokens: int
    generated_tokens: int
    seconds: float
    prompt_seconds: float = 0.0
