"""Any chart or map of the app as PNG or SVG, rendered offline by kaleido and Chromium."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dashboard.exports import images


@pytest.fixture(scope="module", autouse=True)
def renderer() -> Iterator[None]:
    yield
    images.stop()


def test_app_map_exports_as_svg_and_png_without_touching_the_shared_figure(
    app_env: Path,
) -> None:
    from dashboard.filters import Filters
    from dashboard.queries import carte

    figure = carte.carte(
        Filters(edition=2023), "departement", "candidatures", "Édition 2023"
    ).figure
    before = figure.to_dict()["layout"].get("paper_bgcolor")
    svg = images.figure_bytes(figure, "svg", 1200, 700).decode("utf-8")
    assert svg.startswith("<svg") and 'width="1200"' in svg
    assert svg.count('class="choroplethlocation"') >= 96  # every département is drawn
    png = Image.open(io.BytesIO(images.figure_bytes(figure, "png", 1200, 700))).convert("RGB")
    assert png.size == (1200, 700)
    pixels = np.asarray(png).reshape(-1, 3)
    assert 0.1 < float((pixels != 255).any(axis=1).mean()) < 0.9
    assert figure.to_dict()["layout"].get("paper_bgcolor") == before  # cached figure intact


def test_topojson_is_served_from_the_app_folder() -> None:
    url = images.topojson_url()
    assert url.startswith("file://") and url.endswith("/static/")
    assert (images.STATIC_DIR / "world_110m.json").exists()
