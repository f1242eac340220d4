"""Qualité des données: what each load read, kept and set aside, and why (organiser)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import exports, filters
from dashboard.auth import current_account
from dashboard.queries import qualite as q
from etl.french import format_integer, plural, sorted_by_name
from etl.problems import rule_label

current = filters.current()
edition = current.edition
suffixe = str(edition) if edition is not None else "toutes-editions"
RIGHT = st.column_config.TextColumn(alignment="right")
compte = current_account()
role = compte.role if compte is not None else None

st.title("Qualité des données")
st.caption(
    "Pour l'organisateur : ce que chaque chargement a lu, gardé, écarté, et pourquoi. "
    "Les valeurs sont montrées telles que saisies, sauf les coordonnées personnelles. "
    "Chargements et problèmes suivent le filtre Édition ; les territoires à vérifier "
    "suivent tous les filtres."
)


def download(frame: pl.DataFrame, label: str, name: str) -> None:
    st.download_button(
        f"Télécharger {label} (CSV)",
        exports.csv_bytes(frame, role=role),
        file_name=f"{name}-{suffixe}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )


loads = q.loads(edition)
found = q.problems(edition)
territories = q.territories_to_check(current)

cols = st.columns(6)
figures = [
    ("Fichiers chargés", loads.height),
    ("Lignes lues", int(loads["Lignes lues"].sum())),
    ("Candidatures chargées", int(loads["Candidatures chargées"].sum())),
    ("Lignes écartées", int(loads["Lignes écartées"].sum())),
    ("Doublons et versions", int(loads["Doublons et versions remplacées"].sum())),
    ("Territoires à vérifier", territories.height),
]
for col, (label, value) in zip(cols, figures, strict=True):
    col.metric(label, format_integer(value))

st.header("Chargements")
st.caption(
    "Une ligne par fichier : encodage et séparateur détectés, correspondance des intitulés "
    "utilisée, lignes lues = candidatures chargées + lignes écartées + doublons."
)
counts = [c for c, t in loads.schema.items() if t.is_integer() and c != "Édition"]
# Arrow tables: Streamlit sends them as they are (a polars frame goes through pandas).
st.dataframe(
    q.french_counts(loads).to_arrow(),
    hide_index=True,
    column_config=dict.fromkeys(counts, RIGHT),
)
download(loads, "les chargements", "chargements")

st.header("Problèmes relevés")
if found.is_empty():
    st.success("Aucun problème relevé dans les fichiers chargés.", icon=":material/check:")
else:
    st.caption("Nombre de problèmes par règle (une erreur écarte la valeur ou la ligne).")
    st.dataframe(q.problem_summary(found).to_arrow(), hide_index=True)
    left, middle, right = st.columns(3)
    fichiers = left.multiselect(
        "Fichier",
        sorted_by_name(found["fichier"].unique()),
        key="qualite_fichiers",
        placeholder="Tous",
        select_all=False,
    )
    severites = middle.multiselect(
        "Sévérité",
        list(q.SEVERITES),
        format_func=q.SEVERITES.__getitem__,
        key="qualite_severites",
        placeholder="Toutes",
        select_all=False,
    )
    regles = right.multiselect(
        "Règle",
        sorted_by_name(found["regle"].unique(), rule_label),
        format_func=rule_label,
        key="qualite_regles",
        placeholder="Toutes",
        select_all=False,
    )
    shown = q.problems_table(
        q.filter_problems(found, fichiers, severites, regles), q.candidature_names()
    )
    st.caption(f"{plural(shown.height, 'problème')} sur {format_integer(found.height)}.")
    st.dataframe(
        shown.to_arrow(),
        hide_index=True,
        column_config={"Message": st.column_config.TextColumn(width="large")},
    )
    download(shown, "ces problèmes", "problemes")

st.header("Doublons et versions remplacées")
duplicates = q.duplicates_table(found, q.candidature_names())
if duplicates.is_empty():
    st.info("Aucun doublon ni version remplacée.", icon=":material/info:")
else:
    st.caption(
        "Comptés une seule fois : la réponse la plus récente d'un même répondant pour un "
        "même projet remplace les précédentes ; une ligne identique à une autre est ignorée."
    )
    st.dataframe(duplicates.to_arrow(), hide_index=True)

st.header("Territoires à vérifier")
if territories.is_empty():
    st.success("Tous les territoires sont résolus sans réserve.", icon=":material/check:")
else:
    st.caption(
        "Territoire résolu avec réserve, ambigu ou inconnu : l'explication dit ce qui a été "
        "retenu et pourquoi."
    )
    st.dataframe(territories.to_arrow(), hide_index=True)
    download(territories, "les territoires à vérifier", "territoires")
