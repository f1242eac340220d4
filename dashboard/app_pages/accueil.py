"""Home page: what the product holds today (editions configured, data loaded or not)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import plain, queries
from etl.french import format_integer

st.title("Trophées de l'Achat Socialement Responsable")
st.caption("Alliance Villes Emploi — sélection du jury et communication de la cérémonie")

if not queries.warehouse_exists():
    st.info(
        "Aucune candidature n'est encore chargée. Pour charger un export du formulaire : "
        "`uv run trophees load FICHIER.csv --edition 2023`. "
        "Pour découvrir l'outil sur des données fictives : `make run`.",
        icon=":material/info:",
    )

else:
    summary = queries.loads_summary()
    assert summary is not None
    st.header("Candidatures chargées")
    for row in summary.iter_rows(named=True):
        kpis = st.columns(4)
        kpis[0].metric(f"Édition {row['edition']}", format_integer(row["candidatures"]))
        kpis[1].metric("Lignes lues", format_integer(row["lignes_lues"]))
        kpis[2].metric("Lignes rejetées", format_integer(row["lignes_rejetees"]))
        kpis[3].metric("Doublons et versions remplacées", format_integer(row["doublons"]))

st.header("Éditions configurées")
for edition in queries.configured_editions():
    cal = edition.calendrier
    with st.container(border=True):
        st.subheader(f"{edition.annee} — {edition.numero}e édition")
        dates = [
            ("Lancement", cal.lancement),
            ("Clôture", cal.cloture),
            ("Jury", cal.jury),
            ("Cérémonie", cal.ceremonie),
        ]
        cols = st.columns(len(dates))
        for col, (label, when) in zip(cols, dates, strict=True):
            col.metric(label, when.strftime("%d/%m/%Y") if when else "non fixée")
        categories = pl.DataFrame(
            {
                "N°": [c.numero for c in edition.categories],
                "Code": [c.code for c in edition.categories],
                "Prix": [c.libelle for c in edition.categories],
                "Critères du jury": [len(c.criteres) for c in edition.categories],
                "Lauréats au plus": [c.laureats_max for c in edition.categories],
            }
        )
        plain.table(categories, hide_index=True)
        st.caption(f"{format_integer(len(edition.categories))} prix décernés cette édition.")
