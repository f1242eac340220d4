"""Where every reference figure comes from: sources, vintages and licences."""

from __future__ import annotations

import streamlit as st

from dashboard import plain, queries
from etl.french import format_integer

st.title("Sources et millésimes")

st.subheader("Chiffres de contexte")
st.caption(
    "Repères affichés à côté des candidatures. Chacun garde sa portée : un chiffre "
    "régional n'est jamais présenté comme national."
)
plain.table(queries.national_figures_table(), hide_index=True)

st.subheader("Géographie de référence")
metadata = queries.reference_metadata()
if metadata is None:
    st.warning(
        "La géographie de référence n'est pas encore construite : lancer `make reference`.",
        icon=":material/warning:",
    )
    st.stop()

counts = metadata.get("counts", {})
cols = st.columns(4)
cols[0].metric("Communes", format_integer(counts.get("communes", 0)))
cols[1].metric("EPCI", format_integer(counts.get("epci", 0)))
cols[2].metric("Départements", format_integer(counts.get("departements", 0)))
cols[3].metric("Population", f"{format_integer(counts.get('population', 0))} hab.")

st.subheader("Millésimes")
for key, label in (
    ("cog", "Code officiel géographique"),
    ("populations", "Populations"),
    ("epci", "Intercommunalités"),
    ("codes_postaux", "Codes postaux"),
    ("geometries", "Contours"),
):
    value = metadata.get("vintages", {}).get(key)
    if value:
        st.markdown(f"**{label}** : {value}")

st.subheader("Sources et licences")
for source in metadata.get("sources", []):
    with st.container(border=True):
        st.markdown(f"**{source['name']}** — {source['package']} {source['version']}")
        st.text(f"Licence : {source['licence']}\nUsage : {source['use']}")
