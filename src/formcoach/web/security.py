"""The app's guard, as one ASGI middleware: every request passes it before any router sees it.

- ``Host`` allow-list (a DNS-rebinding page gets 400, not the user's sessions);
- the pairing token (``--lan``): required on every request, from the link (``?token=``, then a
  cookie), or an ``Authorization: Bearer`` header for scripts; without it, 403 and nothing else;
- state-changing requests (POST, PUT, PATCH, DELETE) from a browser must come from this app's own
  origin (``Origin`` / ``Sec-Fetch-Site``), so another site cannot delete a session (CSRF);
- every response gets a Content-Security-Policy without inline script, and no-sniff, same-origin referrer,
  same-origin framing headers.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

from formcoach.web.settings import WebSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The policy of every page: scripts, styles, media only from this app; no inline script at all.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "media-src 'self' blob:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; "
       "base-uri 'none'; form-action 'self'; object-src 'none'")
#: The policy of the self-contained report and guide documents shown in a frame: no script at all.
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
COOKIE = "formcoach_pair"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"permissions-policy", b"camera=(self), microphone=(), geolocation=()"),
]


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def host_allowed(host_header: str, allowed: tuple[str, ...]) -> bool:
    """True when the ``Host`` header (name, optionally ``:port``) names one of ``allowed``."""
    host = host_header.strip().lower()
    if host.startswith("["):
        name = host.split("]")[0] + "]"
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return name in {a.lower() for a in allowed}


def origin_allowed(headers: dict[str, str], settings: WebSettings) -> bool:
    """True unless a browser says the request comes from another site (Origin, Sec-Fetch-Site).

    Scripts (curl, Python) send neither header and are let through: the Host check and the
    pairing token already guard them.
    """
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None:
        return True
    return origin.lower() in {o.lower() for o in settings.origins()}


def token_in(scope: Scope, headers: dict[str, str]) -> tuple[str | None, str | None]:
    """The pairing token offered by the request as (from the query, from a cookie or header)."""
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header is the same as no cookie
        cookie = SimpleCookie()
    offered = cookie[COOKIE].value if COOKIE in cookie else None
    bearer = headers.get("authorization", "")
    if bearer.lower().startswith("bearer "):
        offered = bearer[7:].strip()
    return query.get("token"), offered


def _same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


async def _plain(send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = text.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"content-security-policy", CSP.encode()), *HEADERS, *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    """Host allow-list, pairing token, origin check and security headers around ``app``."""

    def __init__(self, app: ASGIApp, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request; answer 400/403 itself or pass it on with the headers added."""
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        if not host_allowed(headers.get("host", ""), self.settings.allowed_hosts):
            await _plain(send, 400, "This address is not one formcoach answers to. Open the link "
                         "that `formcoach serve` printed.")
            return
        token = self.settings.pairing_token
        if token is not None:
            from_query, offered = token_in(scope, headers)
            if _same(from_query, token) and scope["method"] == "GET":
                await self._pair(scope, send, token)
                return
            if not _same(offered, token):
                await _plain(send, 403, "This phone or browser is not paired yet. Scan the QR code "
                             "that `formcoach serve` shows, or open the link it printed.")
                return
        if scope["method"] in UNSAFE_METHODS and not origin_allowed(headers, self.settings):
            await _plain(send, 403, "Refused: this request came from another web site.")
            return
        await self.app(scope, receive, self._with_headers(send))

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The same Host, token (cookie, header or ``?token=``) and origin checks for a WebSocket;
        a refused one is closed before it opens (the browser sees 403)."""
        headers = _headers(scope)
        token = self.settings.pairing_token
        from_query, offered = token_in(scope, headers)
        if (not host_allowed(headers.get("host", ""), self.settings.allowed_hosts)
                or (token is not None and not (_same(offered, token) or _same(from_query, token)))
                or not origin_allowed(headers, self.settings)):
            await send({"type": "websocket.close", "code": 1008})
            return
        await self.app(scope, receive, send)

    async def _pair(self, scope: Scope, send: Send, token: str) -> None:
        """Set the pairing cookie and redirect to the same page without the token in the address."""
        query = [(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))
                 if k != "token"]
        location = scope.get("path", "/") + (("?" + urlencode(query)) if query else "")
        secure = "; Secure" if self.settings.scheme == "https" else ""
        cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000{secure}"
        await _plain(send, 303, "Paired.", [(b"location", location.encode()),
                                            (b"set-cookie", cookie.encode())])

    def _with_headers(self, send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in HEADERS if h[0] not in present]
                if b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", CSP.encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        return wrapped
