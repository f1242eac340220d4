"""« Vue d'ensemble »: key figures of the candidatures in scope, national context,
breakdowns by prize and by type of structure, eligibility."""

from __future__ import annotations

from dataclasses import astuple

import streamlit as st

from dashboard import queries
from dashboard.charts.locale import plotly_config
from dashboard.filters import Filters
from dashboard.queries import vue_ensemble as q
from etl.french import format_hours, format_integer, format_share
from etl.semantic.key_figures import texte_heures_pour_1000, texte_population
from etl.semantic.national import NationalFigure

PLOTLY_CONFIG = plotly_config("cartesian")


def reported(n: int, what: str) -> str:
    """« sur 12 candidatures qui renseignent … »: the base a figure is computed on."""
    if n == 1:
        return f"sur 1 candidature qui renseigne {what}"
    return f"sur {format_integer(n)} candidatures qui renseignent {what}"


def key_figures(kpi: q.KeyFigures) -> None:
    top = st.columns(3)
    top[0].metric("Candidatures", format_integer(kpi.candidatures), border=True)
    top[1].metric(
        "Structures",
        format_integer(kpi.structures),
        border=True,
        help="Structures distinctes, reconnues par leur nom.",
    )
    top[2].metric("Heures d'insertion", format_hours(kpi.heures), border=True)
    top[2].caption(reported(kpi.heures_renseignees, "les heures réalisées"))
    bottom = st.columns(4)
    bottom[0].metric("Participants", format_integer(kpi.participants), border=True)
    bottom[0].caption(reported(kpi.participants_renseignes, "les participants"))
    bottom[1].metric("Marchés clausés", format_integer(kpi.marches_clauses), border=True)
    bottom[1].caption(reported(kpi.marches_renseignes, "les marchés clausés"))
    ratio = kpi.heures_par_participant
    shown = "—" if ratio is None else format_hours(round(ratio))
    bottom[2].metric("Heures par participant", shown, border=True)
    bottom[2].caption(
        reported(kpi.candidatures_heures_participants, "les heures et les participants")
    )
    bottom[3].metric(
        "Heures pour 1 000 habitants",
        texte_heures_pour_1000(kpi.heures_pour_1000_habitants),
        border=True,
        help="Heures d'insertion renseignées × 1 000 ÷ population du périmètre "
        "(département ou région filtré, sinon France).",
    )
    bottom[3].caption(texte_population(kpi))

    st.subheader("Publics parmi les participants")
    for col, share in zip(st.columns(len(kpi.parts)), kpi.parts, strict=True):
        col.metric(share.libelle, "—" if share.part is None else format_share(share.part))
        col.caption(
            reported(share.candidatures, f"le nombre {share.complement} et de participants")
            + f" ({format_integer(share.participants)} participants)"
        )


def reference_card(figure: NationalFigure) -> None:
    st.metric(figure.libelle, q.reference_value(figure), border=True)
    st.caption(q.reference_caption(figure))


def context() -> None:
    st.subheader("Repères nationaux")
    st.caption(
        "Chiffres publiés pour d'autres années que les candidatures : ils situent l'ordre de "
        "grandeur, ils ne se comparent pas terme à terme."
    )
    figures = q.context()
    # two columns filled in reading order (one layout block for all the cards)
    cols = st.columns(2)
    for i, figure in enumerate(figures.nationaux):
        with cols[i % 2]:
            reference_card(figure)
    if figures.autres.num_rows:
        with st.expander(
            "Repères régionaux — aucun chiffre national n'est publié pour ces publics"
        ):
            st.dataframe(figures.autres, hide_index=True)


def breakdowns(view: q.Overview) -> None:
    st.subheader("Par catégorie")
    chart = view.categories
    st.plotly_chart(chart.figure, config=PLOTLY_CONFIG, alt=chart.text_alternative)
    st.caption(
        chart.text_alternative + " Une candidature peut viser plusieurs prix : elle compte "
        "dans chacun, avec toutes ses heures."
    )
    st.subheader("Par type de structure")
    chart = view.structure_types
    st.plotly_chart(chart.figure, config=PLOTLY_CONFIG, alt=chart.text_alternative)
    st.caption(chart.text_alternative)


def eligibility(view: q.Overview) -> None:
    st.subheader("Éligibilité")
    verdicts = view.eligibility
    with st.container(horizontal=True):  # one row block (columns cost one block each)
        st.metric("Éligibles", format_integer(verdicts.eligibles))
        st.metric("Non éligibles", format_integer(verdicts.non_eligibles))
        st.metric(
            "Déposées hors délai",
            format_integer(verdicts.hors_delai),
            help="Conservées et signalées : l'organisateur décide.",
        )
    if verdicts.motifs.num_rows:
        st.dataframe(verdicts.motifs, hide_index=True)
    st.dataframe(view.prizes, hide_index=True)


def render(filters: Filters) -> None:
    """The whole page for the shared filters.

    The page has no widget and depends only on the warehouse version and the filters: it
    is drawn once for them, and Streamlit replays the recorded elements afterwards
    (``st.cache_resource`` keeps the messages of the elements drawn inside it), about a
    third cheaper per element than building them again on every rerun (measured).
    """
    _render(queries.version(), astuple(filters))


@st.cache_resource(ttl=300, max_entries=32, show_spinner=False)
def _render(version: int, key: tuple[object, ...]) -> None:
    filters = Filters(*key)  # type: ignore[arg-type]
    view = q.overview(filters)
    st.title("Vue d'ensemble")
    st.caption(f"Périmètre : {view.scope}")
    if view.key.candidatures == 0:
        st.info("Aucune candidature ne correspond à ces filtres.", icon=":material/filter_alt_off:")
        return
    key_figures(view.key)
    context()
    breakdowns(view)
    eligibility(view)
