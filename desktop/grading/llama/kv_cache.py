"""Bringing llama.cpp's KV cache to a prompt while reusing the longest prefix it already holds.

This is what makes `prepare` pay off: the stable part of the grading prompt stays in the cache,
so a submit evaluates only the answer. Evaluation runs in small chunks with a check between them,
so a cancel or a timeout never waits for a whole long prompt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

PROMPT_CHUNK_TOKENS = 32


def common_prefix_length(cached: Sequence[int], tokens: Sequence[int]) -> int:
    count = 0
    for cached_token, token in zip(cached, tokens, strict=False):
        if cached_token != token:
            break
        count += 1
    return count


def bring_cache_to(
    llama: Any,
    tokens: list[int],
    *,
    between_chunks: Callable[[], None] = lambda: None,
    need_logits: bool = False,
) -> tuple[int, int]:
    """Evaluates what the cache lacks of `tokens`; returns (tokens reused, tokens evaluated).
    With `need_logits`, the last token is evaluated even when cached, so that its logits are
    fresh for sampling. `between_chunks` may raise to stop."""
    reused = common_prefix_length(llama.input_ids[: llama.n_tokens].tolist(), tokens)
    if need_logits:
        reused = min(reused, len(tokens) - 1)
    llama.n_tokens = reused  # the next eval drops the cache beyond this point
    for start in range(reused, len(tokens), PROMPT_CHUNK_TOKENS):
        between_chunks()
        llama.eval(tokens[start : start + PROMPT_CHUNK_TOKENS])
    return reused, len(tokens) - reused
