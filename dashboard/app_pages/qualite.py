"""Qualité des données: what each load read, kept and set aside, and why (organiser)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import exports, filters, plain, queries
from dashboard.auth import current_account
from dashboard.corrections.proposed import PROPOSEE, Proposee
from dashboard.queries import corrections as corrections_q
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
    names = q.candidature_names()
    kept = q.filter_problems(found, fichiers, severites, regles)
    shown = q.problems_table(kept, names)
    st.caption(
        f"{plural(shown.height, 'problème')} sur {format_integer(found.height)}. "
        + (
            "Cliquez sur une ligne dont la colonne « Correction proposée » est remplie "
            "pour ouvrir cette correction."
            if role == "admin"
            else ""
        )
    )
    st.dataframe(
        shown.to_arrow(),
        hide_index=True,
        column_config={"Message": st.column_config.TextColumn(width="large")},
        on_select="rerun" if role == "admin" else "ignore",
        selection_mode="single-row",
        key="qualite_probleme",
    )
    download(shown, "ces problèmes", "problemes")
    rows = st.session_state["qualite_probleme"].selection.rows if role == "admin" else []
    if rows:
        ligne = kept.row(rows[0], named=True)
        offre = q.proposals(kept[rows[0] : rows[0] + 1], names)[0]
        if offre is None:
            st.info(
                "Pas de correction proposée pour ce problème : "
                + (
                    "la ligne a été écartée, il n'y a pas de candidature à corriger."
                    if ligne["candidature_id"] not in names
                    else "il ne demande pas de décision de l'organisateur."
                ),
                icon=":material/info:",
            )
        else:
            st.markdown(
                f"**{offre.action}** pour « {plain.escape(names[ligne['candidature_id']])} » "
                f"(valeur saisie : {plain.escape(ligne['valeur'] or '—')})."
            )
            if st.button("Ouvrir cette correction", type="primary", icon=":material/edit:"):
                st.session_state[PROPOSEE] = Proposee(
                    edition=int(ligne["edition"]),
                    candidature_id=str(ligne["candidature_id"]),
                    nature=offre.nature,
                    champ=offre.champ,
                    recherche=offre.recherche,
                )
                # the sidebar filters are bound to the URL: Streamlit refuses to clear
                # them on its own; « Corrections » has its own edition control
                st.switch_page("app_pages/corrections.py", query_params={})

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

st.header("Corrections de l'organisateur")
configurees = {e.annee: e for e in queries.configured_editions()}
annees = [
    a
    for a in corrections_q.loaded_editions()
    if a in configurees and (edition is None or a == edition)
]
registres = [(a, corrections_q.recorded(a)) for a in annees]
registres = [(a, c) for a, c in registres if c]
if not registres:
    st.info("Aucune correction enregistrée.", icon=":material/info:")
else:
    st.caption(
        "Chaque correction garde la valeur saisie, qui l'a faite, quand et pourquoi ; "
        "son état dit si le dernier chargement l'a appliquée."
        + (" Pour corriger ou annuler, ouvrez la page « Corrections »." if role == "admin" else "")
    )
    etats = corrections_q.states()
    for annee, recorded in registres:
        if len(registres) > 1:
            st.subheader(f"Édition {annee}")
        noms, _ = corrections_q.names(annee)
        plain.table(corrections_q.register(recorded, configurees[annee], noms, etats))
