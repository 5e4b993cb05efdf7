"""HTTP for the remote backend, with the standard library only: JSON requests to an
OpenAI-compatible server, server-sent event streams, and every way a request can fail turned into
the `BackendError` that says what happened (refused, timed out, rejected, malformed).
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

from desktop.grading.backend import BackendError, BackendTimeout, BackendUnavailable, MalformedReply

_LOOPBACK_HOSTS = ("localhost", "127.", "::1", "[::1]")


class RequestRejected(BackendUnavailable):
    """The server refused the request itself (HTTP 400/422), e.g. an unsupported option."""


class MalformedServerReply(MalformedReply, BackendUnavailable):
    """The server's reply breaks the protocol (not JSON, no choices, not HTTP): there is no model
    output to judge or retry, so the grade is `ungraded` with this reason."""


def server_base_url(url: str) -> str:
    """The server's `/v1` address without a trailing slash; a bare host gets `/v1`."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise BackendUnavailable(f"{url!r} is not an http(s):// address of a model server.")
    return url if parts.path else url + "/v1"


def _opener_for(url: str) -> urllib.request.OpenerDirector:
    # A proxy from the environment must never stand between the app and a server on this machine.
    host = urlsplit(url).hostname or ""
    if host.startswith(_LOOPBACK_HOSTS):
        return urllib.request.build_opener(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener()


def open_request(
    url: str, body: dict[str, Any] | None, *, api_key: str, timeout_s: float
) -> http.client.HTTPResponse:
    """Sends a GET (no body) or a JSON POST; the response is open for reading."""
    headers = {"Accept": "application/json, text/event-stream"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        response = _opener_for(url).open(request, timeout=timeout_s)
    except urllib.error.HTTPError as error:
        raise _http_error(url, error) from None
    except urllib.error.URLError as error:
        raise _connection_error(url, error.reason, timeout_s) from None
    except (OSError, http.client.HTTPException) as error:
        raise _connection_error(url, error, timeout_s) from None
    assert isinstance(response, http.client.HTTPResponse)
    return response


def read_json(response: http.client.HTTPResponse, url: str, timeout_s: float) -> Any:
    """The whole response body as JSON."""
    try:
        raw = response.read()
    except (OSError, http.client.HTTPException) as error:
        raise _connection_error(url, error, timeout_s) from None
    finally:
        response.close()
    return parse_json(raw, url)


def parse_json(raw: bytes, url: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        preview = raw[:80].decode("utf-8", errors="replace")
        raise MalformedServerReply(
            f"The model server at {url} sent a reply that is not JSON: {preview!r}"
        ) from None


def event_stream(
    response: http.client.HTTPResponse, url: str, timeout_s: float
) -> Iterator[dict[str, Any]]:
    """The JSON events of a server-sent event stream, until `[DONE]` or the end."""
    try:
        for raw_line in response:
            line = raw_line.strip()
            if not line or line.startswith(b":"):  # keep-alive comments
                continue
            if not line.startswith(b"data:"):
                raise MalformedServerReply(
                    f"The model server at {url} sent a stream line that is not an event: "
                    f"{line[:80].decode('utf-8', errors='replace')!r}"
                )
            payload = line[len(b"data:") :].strip()
            if payload == b"[DONE]":
                return
            event = parse_json(payload, url)
            if not isinstance(event, dict):
                raise MalformedServerReply(
                    f"The model server at {url} sent an event that is not an object."
                )
            yield event
    except (OSError, http.client.HTTPException) as error:
        raise _connection_error(url, error, timeout_s) from None


def _connection_error(url: str, reason: object, timeout_s: float) -> BackendError:
    if isinstance(reason, TimeoutError | socket.timeout):
        return BackendTimeout(f"The model server at {url} did not answer within {timeout_s:g} s.")
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


def _http_error(url: str, error: urllib.error.HTTPError) -> BackendError:
    try:
        detail = _error_detail(error.read())
    except OSError:
        detail = ""
    finally:
        error.close()
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


def _error_detail(raw: bytes) -> str:
    """The message inside an error body ({"error": {"message"}} or {"detail"}), kept short."""
    try:
        body = json.loads(raw)
    except ValueError:
        return raw[:160].decode("utf-8", errors="replace").strip()
    if isinstance(body, dict):
        inner = body.get("error", body.get("detail", body))
        if isinstance(inner, dict):
            inner = inner.get("message", inner)
        return str(inner)[:160]
    return str(body)[:160]
