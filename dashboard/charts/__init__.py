"""Shared chart style and the bar charts of the app: frames in, Plotly figures out.

Pure functions (no streamlit, no database). Every figure:

- carries a title saying what it shows and a subtitle saying on which scope (edition,
  filters) — :func:`base_layout`;
- writes numbers the French way (``separators`` and values pre-formatted by
  :mod:`etl.french`), in bar labels and in tooltips, so colour is never the only carrier
  of information;
- uses the Okabe-Ito palette (readable by people with the common colour-vision
  deficiencies) and transparent backgrounds, so it reads in light and dark themes.

Labels are escaped before Plotly sees them: Plotly renders a subset of HTML in tick
labels and tooltips, and a label may one day come from what a candidate typed.
"""

from __future__ import annotations

import html
import textwrap
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
from plotly.subplots import make_subplots

from etl.french import format_integer

OKABE_ITO: dict[str, str] = {
    "bleu": "#0072B2",
    "orange": "#E69F00",
    "vert": "#009E73",
    "pourpre": "#CC79A7",
    "bleu_ciel": "#56B4E9",
    "vermillon": "#D55E00",
    "jaune": "#F0E442",
    "noir": "#000000",
}
"""Okabe & Ito (2008) colour-blind-safe palette, by French colour name."""

PALETTE: tuple[str, ...] = tuple(
    OKABE_ITO[name] for name in ("bleu", "orange", "vert", "pourpre", "bleu_ciel", "vermillon")
)
"""Order in which series take their colour (black and yellow left out: one of them always
vanishes in either the light or the dark theme)."""

COULEUR_PRINCIPALE = OKABE_ITO["bleu"]
"""Colour of a chart with a single series."""

SEPARATEURS = ",\u202f"
"""Plotly ``layout.separators``: decimal comma, narrow no-break space between thousands."""

LARGEUR_LIBELLE = 38
"""Characters per line of a wrapped axis label."""

Formatter = Callable[[int], str]


def plain(text: str) -> str:
    """Text made inert for Plotly's HTML-like labels (``<``, ``>`` and ``&`` escaped)."""
    return html.escape(text, quote=False)


def wrapped_label(text: str, width: int = LARGEUR_LIBELLE) -> str:
    """A long axis label on several lines (Plotly does not wrap labels itself)."""
    lines = textwrap.wrap(text, width=width, break_long_words=False) or [""]
    return "<br>".join(plain(line) for line in lines)


def base_layout(title: str, scope: str) -> dict[str, Any]:
    """Layout shared by every chart: title, scope as subtitle, French separators, themes.

    The template is emptied: colours are set explicitly here, Streamlit's front end applies
    the app's theme (fonts, axes, light or dark) itself, and the default template would
    add ~3.5 kB that Streamlit copies and serialises again at every rerun.
    """
    return {
        "template": go.layout.Template(),
        "title": {
            "text": plain(title),
            "subtitle": {"text": plain(scope)},
            "x": 0,
            "xanchor": "left",
        },
        "separators": SEPARATEURS,
        "margin": {"l": 10, "r": 30, "t": 80, "b": 40},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"align": "left"},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": None},
        "font": {"size": 13},
    }


@dataclass(frozen=True)
class Measure:
    """A numeric column drawn as bars: its name on the chart, how a value is written,
    and the unit the text alternative adds after a value (empty if ``formatter`` does)."""

    column: str
    name: str
    formatter: Formatter = format_integer
    unit: str = ""

    def shown(self, value: Any) -> str:
        """A value as written in a sentence: ``12 candidatures``, ``12 000 h``."""
        return self.formatter(int(value)) + (f" {self.unit}" if self.unit else "")


def bar_chart(
    frame: pl.DataFrame,
    *,
    label: str,
    measures: Sequence[Measure],
    title: str,
    scope: str,
    series: str | None = None,
) -> go.Figure:
    """Horizontal bars by ``label``, one panel per measure side by side (shared labels),
    one colour per ``series`` if given.

    ``frame`` holds one row per bar; nulls count as 0. Bars run top to bottom by
    decreasing first measure (within each series when series do not share labels). Each
    bar shows its formatted value at its end and in its tooltip, with its label and series
    name, so the chart reads without telling colours apart.
    """
    data = frame.with_columns(pl.col(m.column).fill_null(0) for m in measures)
    groups = [None] if series is None else list(dict.fromkeys(data[series].to_list()))
    shared_labels = series is not None and data.group_by(label).len()["len"].max() != 1
    by_value = data.sort(measures[0].column, descending=True, maintain_order=True)
    if series is not None and not shared_labels:
        rank = {g: i for i, g in enumerate(groups)}
        by_value = by_value.sort(
            pl.col(series).replace_strict(rank, return_dtype=pl.Int64), maintain_order=True
        )
    order = [wrapped_label(str(v)) for v in dict.fromkeys(by_value[label].to_list())]
    figure = make_subplots(
        rows=1,
        cols=len(measures),
        shared_yaxes=True,
        horizontal_spacing=0.08,
        subplot_titles=[plain(m.name) for m in measures] if len(measures) > 1 else None,
    )
    for panel, measure in enumerate(measures, start=1):
        for index, group in enumerate(groups):
            rows = data if group is None else data.filter(pl.col(series or "") == group)
            figure.add_trace(
                _bars(rows, label, measure, group, PALETTE[index % len(PALETTE)], panel == 1),
                row=1,
                col=panel,
            )
        top = max([0, *data[measure.column].to_list()])
        figure.update_xaxes(
            tickformat=",d",
            nticks=4,
            tickangle=0,
            # room at the right for the value written after the longest bar
            range=[0, top * 1.35 if top else 1],
            title=None if len(measures) > 1 else {"text": plain(measure.name)},
            row=1,
            col=panel,
        )
    slots = len(groups) if shared_labels else 1
    row_px = [max(30 * slots, 17 * (text.count("<br>") + 1) + 10) for text in order]
    layout = base_layout(title, scope)
    layout.update(
        barmode="group" if shared_labels else "relative",
        showlegend=series is not None,
        height=170 + sum(row_px) + (40 if series is not None else 0),
    )
    if len(measures) > 1:
        # panel titles sit just above the bars: lift the title and scope above them
        layout["margin"] = {**layout["margin"], "t": 105}
        layout["height"] += 25
    if series is not None:
        # under the chart: at the top it would collide with the panel titles
        layout["legend"] = {
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0,
            "title": None,
        }
        layout["margin"] = {**layout["margin"], "b": 80}
    figure.update_layout(layout)
    figure.update_yaxes(
        categoryorder="array", categoryarray=list(reversed(order)), automargin=True, title=None
    )
    return figure


def _bars(
    rows: pl.DataFrame, label: str, measure: Measure, group: object, colour: str, legend: bool
) -> go.Bar:
    name = "" if group is None else plain(str(group))
    values = [int(v) for v in rows[measure.column].to_list()]
    return go.Bar(
        x=values,
        y=[wrapped_label(str(v)) for v in rows[label].to_list()],
        orientation="h",
        name=name,
        legendgroup=name,
        showlegend=legend and group is not None,
        marker={"color": colour},
        text=[measure.formatter(v) for v in values],
        textposition="outside",
        cliponaxis=False,
        hovertemplate=(
            "%{y}<br>"
            + (f"{name}<br>" if group is not None else "")
            + f"{plain(measure.name)} : %{{text}}<extra></extra>"
        ),
    )


def bars_text_alternative(
    frame: pl.DataFrame,
    *,
    label: str,
    measures: Sequence[Measure],
    series: str | None = None,
) -> str:
    """French sentences summing up a bar chart: highest and lowest bar of each measure,
    per series."""
    if frame.is_empty():
        return "Aucune donnée à représenter pour ces filtres."
    groups: Sequence[object] = (
        [None] if series is None else list(dict.fromkeys(frame[series].to_list()))
    )
    sentences = []
    for measure in measures:
        data = frame.with_columns(pl.col(measure.column).fill_null(0))
        parts = []
        for group in groups:
            rows = data if group is None else data.filter(pl.col(series or "") == group)
            rows = rows.sort([measure.column, label], descending=[True, False])
            top, bottom = rows.row(0, named=True), rows.row(-1, named=True)
            prefix = "" if group is None else f"{group}, "
            if rows.height == 1:
                parts.append(f"{prefix}{top[label]} : {measure.shown(top[measure.column])}")
                continue
            parts.append(
                f"{prefix}{top[label]} en tête ({measure.shown(top[measure.column])}), "
                f"{bottom[label]} en dernier ({measure.shown(bottom[measure.column])})"
            )
        sentences.append(f"{measure.name} : " + " ; ".join(parts) + ".")
    return " ".join(sentences)


class FrozenFigure(go.Figure):  # type: ignore[misc]  # plotly has no type stubs
    """A figure whose dict form is computed once, by :meth:`freeze`.

    ``st.plotly_chart`` calls ``to_dict()`` on every rerun, and Plotly deep-copies the whole
    figure there: for a map, tens of thousands of coordinate pairs, most of a warm rerun's
    time. A frozen figure returns the same dict each time, so it must not change after
    :meth:`freeze` (the cached map is shared by every session: nobody modifies it).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._frozen_dict: dict[str, Any] | None = None
        self._frozen_json: str | None = None

    def freeze(self) -> FrozenFigure:
        """Compute the dict form now; later changes to the figure are not seen."""
        self._frozen_dict = super().to_dict()
        self._frozen_json = None
        _FROZEN[id(self._frozen_dict)] = self
        return self

    def frozen_json(self) -> str | None:
        """The JSON Plotly writes for this frozen figure, computed once (None if not
        frozen). See :func:`_to_json`."""
        if self._frozen_dict is None:
            return None
        if self._frozen_json is None:
            self._frozen_json = _PLOTLY_TO_JSON(self._frozen_dict, validate=False)
        return self._frozen_json

    def to_dict(self) -> dict[str, Any]:
        """The frozen dict (shared, read-only) once frozen, else Plotly's fresh copy."""
        if self._frozen_dict is not None:
            return self._frozen_dict
        fresh: dict[str, Any] = super().to_dict()
        return fresh


_PLOTLY_TO_JSON = pio.to_json
_FROZEN: weakref.WeakValueDictionary[int, FrozenFigure] = weakref.WeakValueDictionary()
"""Frozen figures by the id of their frozen dict (checked by identity before use)."""


def _to_json(
    fig: Any,
    validate: bool = True,
    pretty: bool = False,
    remove_uids: bool = True,
    engine: str | None = None,
) -> str:
    """``plotly.io.to_json``, except that a frozen figure's JSON is written once.

    ``st.plotly_chart`` serialises its figure on every rerun: for the cached map (0.2 MB)
    that is about 2 ms of a 10 ms rerun (measured), always giving the same string. Any
    other figure, or other options, go to Plotly's own function unchanged.
    """
    if not pretty and remove_uids and engine is None:
        # Streamlit passes ``figure.to_dict()``: for a frozen figure, its frozen dict itself
        owner = fig if isinstance(fig, FrozenFigure) else _FROZEN.get(id(fig))
        if owner is not None and (owner is fig or owner._frozen_dict is fig):
            frozen = owner.frozen_json()
            if frozen is not None:
                return frozen
    result: str = _PLOTLY_TO_JSON(fig, validate, pretty, remove_uids, engine)
    return result


pio.to_json = _to_json
