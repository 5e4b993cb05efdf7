"""One deadline for the whole exchange of one request with a model server: connecting, the TLS
handshake, sending, the reply's headers, its body or stream.

A socket timeout bounds each read, not the reply: a server that sends a keep-alive comment, a
byte of its body or a line of its headers every few seconds never trips it. So the request's
sockets are `DeadlineSocket`s (and their TLS form): before every wait they set their timeout to
the time left before the deadline, at most `CANCEL_POLL_S` when the request can be cancelled,
and once the deadline has passed (or the cancel is set) the wait fails, which `remote_http`
turns into the `BackendTimeout` or `Cancelled` it is. No thread is needed, and nothing waits past
the deadline by more than one system call's overshoot. (A name lookup is left to the system
resolver and its own timeouts.)
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from desktop.core.errors import Cancelled
from desktop.grading.backend import BackendTimeout

CANCEL_POLL_S = 0.05  # how soon a cancel ends a wait for a server that sends nothing
_LONGEST_WAIT_S = 3600.0  # one wait at most (operating systems cap a timeout)

CONNECTING = "connecting"
WAITING = "waiting"
READING = "reading"

_WHAT_TO_DO = (
    "Is the server busy or stuck? Try again, or raise the time limit (Models screen, or "
    "timeout_s in the model settings)."
)
T = TypeVar("T")


class ReplyWatch:
    """The deadline (and cancel) of one request. `phase` says how far the exchange got, for
    the message."""

    def __init__(
        self,
        url: str,
        timeout_s: float,
        *,
        deadline: float | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.url = url
        self.timeout_s = timeout_s
        limit = time.monotonic() + timeout_s
        self.deadline = limit if deadline is None else min(limit, deadline)
        self.phase = CONNECTING
        self._cancel = cancel

    @property
    def stopped(self) -> bool:
        """Whether the deadline has passed or the cancel is set."""
        cancelled = self._cancel is not None and self._cancel.is_set()
        return cancelled or time.monotonic() >= self.deadline

    def raise_if_stopped(self) -> None:
        """`Cancelled` once the cancel is set, the timeout once the deadline has passed."""
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled
        if time.monotonic() >= self.deadline:
            raise self.timeout()

    def remaining_s(self) -> float:
        """Seconds left before the deadline (the timeout or cancel when none are)."""
        self.raise_if_stopped()
        return self._left_s()

    def _left_s(self) -> float:
        return max(0.001, min(self.deadline - time.monotonic(), _LONGEST_WAIT_S))

    def timeout(self) -> BackendTimeout:
        limit = f"{self.timeout_s:g} s"
        what = {
            CONNECTING: f"could not be reached within {limit} (the connection did not open)",
            WAITING: (
                f"did not answer within {limit} (its reply had not begun, or its headers came "
                "too slowly)"
            ),
            READING: (
                f"did not finish its reply within {limit} (it was still sending it, too slowly "
                "or with keep-alive comments only)"
            ),
        }[self.phase]
        return BackendTimeout(f"The model server at {self.url} {what}. {_WHAT_TO_DO}")

    def connect(
        self,
        address: tuple[str, int],
        timeout: Any = None,
        source_address: tuple[str, int] | None = None,
    ) -> socket.socket:
        """`socket.create_connection`, for this deadline: what an `http.client` connection
        calls to open its socket (the connection's own `timeout` is replaced by the deadline)."""
        host, port = address
        last_error: OSError | None = None
        for family, kind, protocol, _, peer in socket.getaddrinfo(
            host, port, 0, socket.SOCK_STREAM
        ):
            connection = DeadlineSocket(family, kind, protocol)
            connection.reply_watch = self
            try:
                if source_address is not None:
                    connection.bind(source_address)
                self._fail_if_stopped()
                connection.settimeout(self._left_s())
                connection.connect(peer)
            except OSError as error:
                connection.close()
                last_error = error
                if self.stopped:
                    break
                continue
            except BaseException:
                connection.close()
                raise
            self.phase = WAITING
            return connection
        raise last_error or OSError(f"no address found for {host}")

    def tls_context(self) -> ssl.SSLContext:
        """A default client context whose sockets keep this deadline."""
        context = ssl.create_default_context()
        context.set_alpn_protocols(["http/1.1"])
        watch = self

        class WatchedTLSSocket(DeadlineTLSSocket):
            reply_watch = watch

        context.sslsocket_class = WatchedTLSSocket
        return context

    def within(self, connection: socket.socket, wait: Callable[[], T]) -> T:
        """Runs a wait that may be retried after a timeout (a read, a handshake) in steps until
        it is done, or the deadline passes or the cancel is set: then it raises the step's
        `TimeoutError`, which the code above handles as any socket error (closing what it
        opened) and `remote_http` turns into the timeout or cancel it is."""
        while True:
            self._fail_if_stopped()
            step = self._left_s()
            if self._cancel is not None:
                step = min(step, CANCEL_POLL_S)
            connection.settimeout(step)
            try:
                return wait()
            except TimeoutError:
                continue

    def sending(self, connection: socket.socket, send: Callable[[], T]) -> T:
        """Runs a wait that cannot be retried (a send: part of it may have gone) with all the
        time left; `TimeoutError` as `within`."""
        self._fail_if_stopped()
        connection.settimeout(self._left_s())
        return send()

    def _fail_if_stopped(self) -> None:
        if self.stopped:
            raise TimeoutError("the time for this request is up")


class DeadlineSocket(socket.socket):
    """A TCP socket whose reads and sends keep its `ReplyWatch`'s deadline."""

    reply_watch: ReplyWatch

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        return self.reply_watch.within(self, lambda: super(DeadlineSocket, self).recv_into(
            buffer, nbytes, flags
        ))  # fmt: skip

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        return self.reply_watch.within(self, lambda: super(DeadlineSocket, self).recv(
            bufsize, flags
        ))  # fmt: skip

    def sendall(self, data: Any, flags: int = 0) -> None:
        self.reply_watch.sending(self, lambda: super(DeadlineSocket, self).sendall(data, flags))


class DeadlineTLSSocket(ssl.SSLSocket):
    """The TLS form of `DeadlineSocket` (a subclass per request names its watch)."""

    reply_watch: ReplyWatch

    def do_handshake(self, block: bool = False) -> None:
        self.reply_watch.within(self, lambda: super(DeadlineTLSSocket, self).do_handshake(block))

    def recv_into(self, buffer: Any, nbytes: int | None = None, flags: int = 0) -> int:
        return self.reply_watch.within(self, lambda: super(DeadlineTLSSocket, self).recv_into(
            buffer, nbytes, flags
        ))  # fmt: skip

    def recv(self, buflen: int = 1024, flags: int = 0) -> bytes:
        return self.reply_watch.within(self, lambda: super(DeadlineTLSSocket, self).recv(
            buflen, flags
        ))  # fmt: skip

    def sendall(self, data: Any, flags: int = 0) -> None:
        self.reply_watch.sending(self, lambda: super(DeadlineTLSSocket, self).sendall(data, flags))
