"""HTTP for the remote backend, with the standard library only: JSON requests to an
OpenAI-compatible server, their replies read whole or line by line within one `ReplyWatch`
deadline, and every way a request can fail turned into the `BackendError` that says what happened
(refused, timed out, rejected, malformed).
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from desktop.grading.backend import BackendError, BackendUnavailable
from desktop.grading.remote.reply_watch import READING, ReplyWatch
from desktop.grading.remote.server_reply import (
    MAX_LINE_BYTES,
    MAX_REPLY_BYTES,
    MalformedServerReply,
    error_detail,
)

_LOOPBACK_HOSTS = ("localhost", "127.", "::1", "[::1]")
_READ_BYTES = 65536


class RequestRejected(BackendUnavailable):
    """The server refused the request itself (HTTP 400/422), e.g. an unsupported option."""


def server_base_url(url: str) -> str:
    """The server's `/v1` address without a trailing slash; a bare host gets `/v1`."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise BackendUnavailable(f"{url!r} is not an http(s):// address of a model server.")
    return url if parts.path else url + "/v1"


class _WatchedHandler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    """Opens http and https connections whose sockets keep `watch`'s deadline."""

    def __init__(self, watch: ReplyWatch) -> None:
        super().__init__(context=watch.tls_context())
        self._watch = watch

    def do_open(
        self, http_class: Any, req: urllib.request.Request, **http_conn_args: Any
    ) -> http.client.HTTPResponse:
        return super().do_open(_watched(http_class, self._watch), req, **http_conn_args)


def _watched(http_class: Any, watch: ReplyWatch) -> Any:
    def connection(host: str, **options: Any) -> http.client.HTTPConnection:
        opened = http_class(host, **options)
        # The hook `http.client` connections open their socket with (TLS wraps it after).
        opened._create_connection = watch.connect
        assert isinstance(opened, http.client.HTTPConnection)
        return opened

    return connection


def _opener_for(url: str, watch: ReplyWatch) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_WatchedHandler(watch)]
    # A proxy from the environment must never stand between the app and a server on this machine.
    host = urlsplit(url).hostname or ""
    if host.startswith(_LOOPBACK_HOSTS):
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def open_request(
    url: str, body: dict[str, Any] | None, *, api_key: str, watch: ReplyWatch
) -> http.client.HTTPResponse:
    """Sends a GET (no body) or a JSON POST; the response is open for reading, its headers
    read, within the watch's deadline."""
    headers = {"Accept": "application/json, text/event-stream"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        response = _opener_for(url, watch).open(request, timeout=watch.remaining_s())
    except urllib.error.HTTPError as error:
        raise _http_error(url, error, watch) from None
    except urllib.error.URLError as error:
        raise _connection_error(url, error.reason, watch) from None
    except (OSError, http.client.HTTPException) as error:
        raise _connection_error(url, error, watch) from None
    assert isinstance(response, http.client.HTTPResponse)
    watch.phase = READING
    return response


def read_body(response: http.client.HTTPResponse, watch: ReplyWatch) -> bytes:
    """The whole response body (at most `MAX_REPLY_BYTES`), within the watch's deadline."""
    parts: list[bytes] = []
    size = 0
    try:
        while True:
            part = response.read1(_READ_BYTES)
            watch.raise_if_stopped()
            if not part:
                return b"".join(parts)
            size += len(part)
            if size > MAX_REPLY_BYTES:
                raise MalformedServerReply(
                    f"The model server at {watch.url} sent a reply larger than "
                    f"{MAX_REPLY_BYTES // 2**20} MiB."
                )
            parts.append(part)
    except (OSError, http.client.HTTPException) as error:
        raise _connection_error(watch.url, error, watch) from None


def read_lines(response: http.client.HTTPResponse, watch: ReplyWatch) -> Iterator[bytes]:
    """The lines of a streamed body (each at most `MAX_LINE_BYTES` and its line end, all
    together at most `MAX_REPLY_BYTES`), checking the watch between lines."""
    size = 0
    try:
        while True:
            line = response.readline(MAX_LINE_BYTES + 1)
            watch.raise_if_stopped()
            if not line:
                return
            size += len(line)
            if size > MAX_REPLY_BYTES:
                raise MalformedServerReply(
                    f"The model server at {watch.url} sent a stream larger than "
                    f"{MAX_REPLY_BYTES // 2**20} MiB."
                )
            yield line
    except (OSError, http.client.HTTPException) as error:
        raise _connection_error(watch.url, error, watch) from None


def _connection_error(url: str, reason: object, watch: ReplyWatch) -> BackendError:
    """What a failed connection or read means; once the deadline has passed or the grade was
    cancelled, whatever the shut socket made a read raise is that timeout or cancel."""
    watch.raise_if_stopped()
    if isinstance(reason, TimeoutError | socket.timeout):
        return watch.timeout()
    if isinstance(reason, ConnectionRefusedError):
        return BackendUnavailable(
            f"Nothing answers at {url}: the connection was refused (is the model server running?)."
        )
    if isinstance(reason, http.client.RemoteDisconnected | ConnectionResetError):
        return BackendUnavailable(f"The model server at {url} closed the connection unanswered.")
    if isinstance(reason, socket.gaierror):
        return BackendUnavailable(f"The server name in {url} cannot be found.")
    if isinstance(reason, ssl.SSLError):
        return BackendUnavailable(f"A secure connection to {url} failed: {reason}.")
    if isinstance(reason, http.client.HTTPException):
        return MalformedServerReply(f"The model server at {url} sent something that is not HTTP.")
    return BackendUnavailable(f"The model server at {url} cannot be reached: {reason}.")


def _http_error(url: str, error: urllib.error.HTTPError, watch: ReplyWatch) -> BackendError:
    watch.phase = READING
    try:
        detail = error_detail(error.read(MAX_LINE_BYTES))
    except (OSError, http.client.HTTPException):
        detail = ""
    finally:
        error.close()
    watch.raise_if_stopped()
    said = f" ({detail})" if detail else ""
    code = error.code
    if code in (401, 403):
        return BackendUnavailable(
            f"The model server at {url} refused the API key (HTTP {code}){said}. Set the key in "
            "the model settings or in the environment variable they name."
        )
    if code == 404:
        return BackendUnavailable(
            f"The model server has nothing at {url} (HTTP 404){said}: is the address the "
            "server's /v1 URL, and is the model name right?"
        )
    # llama_cpp.server answers a request it cannot validate with 500 rather than 422.
    if code in (400, 422) or "response_format" in detail:
        return RequestRejected(f"The model server at {url} rejected the request{said}.")
    if code == 503:
        return BackendUnavailable(f"The model server at {url} is busy or loading (HTTP 503){said}.")
    return BackendUnavailable(f"The model server at {url} failed (HTTP {code}){said}.")
