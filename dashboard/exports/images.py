"""Any Plotly chart or map of the app as a PNG or SVG file, offline.

kaleido 1.x drives Debian's Chromium (``BROWSER_PATH``, default ``/usr/bin/chromium``).
Its sync server is started once per process (:func:`start`): the first image costs about
two seconds, the next ones a tenth of that. Nothing is fetched from the network: plotly.js
comes from the installed plotly package, MathJax is off, and geo traces read their base
map (``world_110m.json``) from ``dashboard/static`` through a ``file://`` URL.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Literal

import plotly.graph_objects as go

Format = Literal["png", "svg"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_S = 60

_lock = threading.Lock()
_render_lock = threading.Lock()
"""One render at a time: the app's download callbacks may run in several threads."""
_started = False


class ImageImpossible(RuntimeError):
    """No image could be rendered (no Chromium, or it failed): French message."""


def topojson_url() -> str:
    """Folder of the offline base map, as the URL kaleido gives plotly.js."""
    return STATIC_DIR.as_uri() + "/"


def start() -> None:
    """Start kaleido's sync server once for this process (later calls do nothing)."""
    global _started
    with _lock:
        if _started:
            return
        if "BROWSER_PATH" not in os.environ and CHROMIUM.exists():
            os.environ["BROWSER_PATH"] = str(CHROMIUM)
        import kaleido

        try:
            kaleido.start_sync_server(n=1, mathjax=False, timeout=TIMEOUT_S, silence_warnings=True)
        except Exception as err:  # kaleido raises several kinds of errors
            raise ImageImpossible(
                f"Impossible de lancer Chromium pour produire les images : {err}. "
                "Installez le paquet Debian « chromium » (make chromium)."
            ) from err
        _started = True


def stop() -> None:
    """Stop the sync server (tests and the CLI call it when done)."""
    global _started
    with _lock:
        if not _started:
            return
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        _started = False


def figure_bytes(
    figure: go.Figure | dict[str, Any],
    fmt: Format = "png",
    width: int = 1200,
    height: int = 675,
    scale: float = 1.0,
    fond: str | None = "white",
) -> bytes:
    """The figure rendered as PNG or SVG bytes of ``width`` × ``height`` pixels (× scale).

    ``fond``: background colour of the image (the app's charts are transparent so that
    they follow its theme; a file for print or social media needs one); None keeps the
    figure's. The figure itself is never modified (cached app figures are shared).
    """
    start()
    import kaleido

    spec = figure.to_dict() if isinstance(figure, go.Figure) else figure
    if fond is not None:
        spec = {**spec, "layout": {**spec.get("layout", {}), "paper_bgcolor": fond}}
    try:
        with _render_lock:
            data: bytes = kaleido.calc_fig_sync(
                spec,
                opts={"format": fmt, "width": width, "height": height, "scale": scale},
                topojson=topojson_url(),
            )
    except Exception as err:
        raise ImageImpossible(f"L'image n'a pas pu être produite : {err}") from err
    return data
