"""A closed question answered from the model's next-token probabilities, with no generation.

The reply's first token decides: each choice is represented by the first token of its word
(lower case and capitalised, as a reply may start either way), and the probabilities of those
tokens, renormalised over the choices, are the answer. One forward pass per question, and the
model cannot answer anything but one of the choices.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import llama_cpp
import numpy as np
import numpy.typing as npt

from desktop.grading.backend import BackendError


def last_logits(llama: Any) -> npt.NDArray[np.float32]:
    """The logits after the last evaluated token (a copy: the next eval overwrites them)."""
    pointer = llama_cpp.llama_get_logits_ith(llama.ctx, -1)
    return np.ctypeslib.as_array(pointer, shape=(int(llama.n_vocab()),)).copy()


def choice_tokens(llama: Any, choices: Sequence[str]) -> tuple[tuple[int, ...], ...]:
    """For each choice, the first tokens of its spellings; refuses choices that share one."""
    found: list[tuple[int, ...]] = []
    for choice in choices:
        spellings = {choice, choice.capitalize(), choice.upper()}
        ids = {
            int(llama.tokenize(spelling.encode("utf-8"), add_bos=False, special=False)[0])
            for spelling in spellings
        }
        found.append(tuple(sorted(ids)))
    flat = [token for ids in found for token in ids]
    if len(flat) != len(set(flat)):
        raise BackendError("this model's vocabulary cannot tell the reply's choices apart")
    return tuple(found)


def choice_probabilities(
    logits: npt.NDArray[np.float32], candidates: tuple[tuple[int, ...], ...]
) -> tuple[float, ...]:
    """Each choice's share of the probability the model gives to any of the choices."""
    scores = np.array(
        [np.logaddexp.reduce(logits[list(ids)].astype(np.float64)) for ids in candidates]
    )
    if not np.isfinite(scores).all():
        raise BackendError("the model produced no usable probabilities")
    weights = np.exp(scores - scores.max())
    return tuple(float(value) for value in weights / weights.sum())
