"""The app as served: Streamlit's own server with one addition, ``<html lang="fr">``.

Streamlit's page shell says ``lang="en"`` and has no option for it; screen readers then
read French text with English pronunciation. ``st.App`` (Streamlit's ASGI application)
accepts Starlette middleware: :class:`FrenchPage` rewrites that one attribute of the HTML
shell as it leaves the server. Run with ``streamlit run dashboard/server.py`` (``make
run``); the pages are ``dashboard/streamlit_app.py``'s.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from starlette.middleware import Middleware

ENGLISH = b'<html lang="en">'
FRENCH = b'<html lang="fr">'

Scope = dict[str, Any]
Message = dict[str, Any]


class FrenchPage:
    """ASGI middleware: ``lang="fr"`` in every HTML response (the app shell)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if b"text/html" not in headers.get(b"content-type", b""):
                    await send(message)
                    return
                start = message
                return
            if start is None:  # not HTML: passed through as it comes
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            page = b"".join(body).replace(ENGLISH, FRENCH, 1)
            sized = [
                (k, str(len(page)).encode() if k == b"content-length" else v)
                for k, v in start.get("headers", [])
            ]
            await send({**start, "headers": sized})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, capture)


app = st.App("streamlit_app.py", middleware=[Middleware(FrenchPage)])
