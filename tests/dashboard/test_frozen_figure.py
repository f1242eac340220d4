"""Frozen figures (cached and shared by every session) serialise once, to the same JSON
Plotly writes for the same figure; other figures go through Plotly untouched."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio

from dashboard import charts


def _figure() -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2], name="n"), layout={"title": "t"})


def test_frozen_json_is_plotlys_json_and_is_written_once() -> None:
    plain = _figure()
    frozen = charts.FrozenFigure(_figure()).freeze()
    expected = json.loads(pio.to_json(plain.to_dict(), validate=False))
    # what st.plotly_chart does: to_dict() then plotly.io.to_json(dict, validate=False)
    first = pio.to_json(frozen.to_dict(), validate=False)
    assert json.loads(first) == expected
    assert pio.to_json(frozen.to_dict(), validate=False) is first  # cached, not rewritten
    assert pio.to_json(frozen, validate=False) is first


def test_unfrozen_figures_and_other_options_are_serialised_by_plotly() -> None:
    fig = charts.FrozenFigure(_figure())  # not frozen yet
    assert pio.to_json(fig.to_dict(), validate=False) is not pio.to_json(
        fig.to_dict(), validate=False
    )
    frozen = charts.FrozenFigure(_figure()).freeze()
    pretty = pio.to_json(frozen.to_dict(), validate=False, pretty=True)
    assert "\n" in pretty  # pretty printing still honoured
    a_copy = dict(frozen.to_dict())  # an equal dict that is not the frozen one
    assert pio.to_json(a_copy, validate=False) is not pio.to_json(frozen, validate=False)
