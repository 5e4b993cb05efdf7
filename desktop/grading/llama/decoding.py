"""Greedy decoding under a JSON-schema grammar, checked lazily.

llama-cpp-python applies a grammar to the whole vocabulary before every token (49k candidates for
SmolLM2), which made constrained replies several times slower than plain ones. Here the greedy
choice is checked alone and the whole vocabulary is filtered only when that choice breaks the
grammar, as llama.cpp's own sampler does; the token picked is the same either way.
"""

from __future__ import annotations

import codecs
import ctypes
import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import llama_cpp
import numpy as np
import numpy.typing as npt

from desktop.grading.llama.choices import last_logits

GRAMMAR_ROOT = b"root"


@lru_cache(maxsize=32)
def schema_grammar(schema_json: str) -> str:
    """The JSON schema as GBNF, properties in the schema's own order (verdicts first, feedback
    last); the converter would otherwise follow whatever order its input text has."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    order = list(json.loads(schema_json).get("properties", {}))
    return str(json_schema_to_gbnf(schema_json, prop_order=order))


class GrammarRefused(RuntimeError):
    """No token of the vocabulary continues the grammar (the reply cannot be completed)."""


class GreedyGrammarDecoder:
    """Picks tokens greedily; with a grammar (GBNF text), only tokens that continue it."""

    def __init__(self, llama: Any, grammar: str | None) -> None:
        self._llama = llama
        self._n_vocab = int(llama.n_vocab())
        self._sampler: Any = None
        if grammar is not None:
            self._sampler = llama_cpp.llama_sampler_init_grammar(
                llama._model.vocab, grammar.encode("utf-8"), GRAMMAR_ROOT
            )
            if not self._sampler:
                raise GrammarRefused("llama.cpp could not compile the reply grammar")
        self._one = (llama_cpp.llama_token_data * 1)()
        self._one_array = llama_cpp.llama_token_data_array(
            data=ctypes.cast(self._one, llama_cpp.llama_token_data_p),
            size=1,
            selected=-1,
            sorted=False,
        )
        self._all: Any = None
        self._all_array: Any = None

    def next_token(self) -> int:
        logits = last_logits(self._llama)
        token = int(np.argmax(logits))
        if self._sampler is None:
            return token
        if not self._allowed(token, float(logits[token])):
            token = self._best_allowed(logits)
        llama_cpp.llama_sampler_accept(self._sampler, token)
        return token

    def _allowed(self, token: int, logit: float) -> bool:
        entry: Any = self._one[0]  # ctypes converts plain ints and floats on assignment
        entry.id = token
        entry.logit = logit
        entry.p = 0.0
        self._one_array.size = 1
        self._one_array.selected = -1
        llama_cpp.llama_sampler_apply(self._sampler, ctypes.byref(self._one_array))
        return bool(np.isfinite(self._one[0].logit))

    def _best_allowed(self, logits: npt.NDArray[np.float32]) -> int:
        if self._all is None:
            self._all = np.recarray(
                (self._n_vocab,),
                dtype=np.dtype(
                    [("id", np.intc), ("logit", np.single), ("p", np.single)], align=True
                ),
            )
            self._all_array = llama_cpp.llama_token_data_array(
                data=self._all.ctypes.data_as(llama_cpp.llama_token_data_p),
                size=self._n_vocab,
                selected=-1,
                sorted=False,
            )
        self._all.id[:] = np.arange(self._n_vocab, dtype=np.intc)
        self._all.logit[:] = logits
        self._all.p[:] = 0.0
        self._all_array.size = self._n_vocab
        self._all_array.selected = -1
        self._all_array.sorted = False
        llama_cpp.llama_sampler_apply(self._sampler, ctypes.byref(self._all_array))
        size = int(self._all_array.size)
        filtered = self._all[:size]
        if size == 0 or not np.isfinite(filtered.logit).any():
            raise GrammarRefused("no token continues the reply grammar")
        return int(filtered.id[int(np.argmax(filtered.logit))])

    def close(self) -> None:
        if self._sampler is not None:
            llama_cpp.llama_sampler_free(self._sampler)
            self._sampler = None


class Stopped(Exception):
    """Generation stopped early: `why` is "cancelled" or "timeout"."""

    def __init__(self, why: str, generated: int) -> None:
        super().__init__(why)
        self.why = why
        self.generated = generated


def generate(
    llama: Any,
    decoder: GreedyGrammarDecoder,
    *,
    max_tokens: int,
    should_stop: Callable[[], str | None],
    on_text: Callable[[str], None] | None,
    complete_json: bool,
) -> tuple[str, str, int]:
    """Decodes after the evaluated prompt; returns (text, finish reason, tokens generated).

    `should_stop` is asked before every token (and after every streamed piece), so cancel and
    timeouts act within one token; with `complete_json`, decoding ends as soon as the text is
    a whole JSON value instead of spending tokens on trailing whitespace.
    """
    vocab = llama._model.vocab
    utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text: list[str] = []
    generated: list[int] = []
    for _ in range(max_tokens):
        why = should_stop()
        if why is not None:
            raise Stopped(why, len(generated))
        token = decoder.next_token()
        if llama_cpp.llama_vocab_is_eog(vocab, token):
            return "".join(text), "stop", len(generated)
        piece = utf8.decode(llama.detokenize([token], prev_tokens=generated))
        generated.append(token)
        if piece:
            text.append(piece)
            if on_text is not None:
                on_text(piece)
        if complete_json and piece.rstrip().endswith("}") and _is_json("".join(text)):
            return "".join(text), "stop", len(generated)
        why = should_stop()
        if why is not None:
            raise Stopped(why, len(generated))
        llama.eval([token])
    return "".join(text), "length", len(generated)


def _is_json(text: str) -> bool:
    try:
        json.loads(text, strict=False)
    except ValueError:
        return False
    return True
