"""Comparer : 2 à 6 candidatures côte à côte, face à la médiane de leur catégorie."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import filters, plain
from dashboard.charts import comparison as charts
from dashboard.charts import comparison_tables as tableaux
from dashboard.charts.locale import plotly_config
from dashboard.queries import comparer
from etl.french import agree, plural
from etl.semantic import indicators

CLE_SELECTION = "ids"
CLE_IMPRIMABLE = "imprimable"
CLE_CONTEXTE = "comparer_contexte"
"""Session-state keys of this page (the first two are also URL query parameters)."""


def tableau(frame: pl.DataFrame, imprimable: bool) -> None:
    if imprimable:
        plain.table(frame)
    else:
        st.dataframe(frame, hide_index=True)


def figure(fig: Any, texte_alternatif: str, imprimable: bool) -> None:
    config = plotly_config(displayModeBar=False) if imprimable else plotly_config()
    st.plotly_chart(fig, config=config, alt=texte_alternatif)
    st.caption(texte_alternatif)


st.title("Comparer des candidatures")
courant = filters.current()
ref = comparer.reference(courant)
if ref is None:
    st.info("Aucune candidature chargée pour l'édition choisie.")
    st.stop()

choix = comparer.options(courant, ref)
if choix.height < 2:
    st.info(
        "Moins de deux candidatures correspondent aux filtres de l'édition "
        f"{ref.edition} : élargissez les filtres du panneau latéral."
    )
    st.stop()

# A change of the shared filters brings back their default selection; a link carrying
# « ids » keeps its own selection on first load.
defaut = comparer.selection_par_defaut(choix, ref.categorie)
contexte = repr((courant, ref))
precedent = st.session_state.get(CLE_CONTEXTE)
filtres_changes = precedent is not None and precedent != contexte
selection_perdue = CLE_SELECTION not in st.session_state and CLE_SELECTION not in st.query_params
if filtres_changes or selection_perdue:
    st.session_state[CLE_SELECTION] = defaut
st.session_state[CLE_CONTEXTE] = contexte

libelles = dict(zip(choix["candidature_id"], choix["libelle"], strict=True))
connues = set(libelles) | set(libelles.values())  # a bound widget keeps labels in the URL
absentes = [i for i in st.query_params.get_all(CLE_SELECTION) if i not in connues]
if absentes:
    st.warning(
        f"{plural(len(absentes), 'candidature')} du lien {agree(len(absentes), 'demandée')} "
        f"hors de la liste (édition {ref.edition}, filtres du panneau latéral) : "
        f"{agree(len(absentes), 'retirée')} de la comparaison.",
        icon=":material/link_off:",
    )
provenance = (
    "choisie dans le filtre « Catégorie »"
    if ref.choisie
    else "première catégorie de l'édition où au moins deux candidatures correspondent aux "
    "filtres ; changez-la avec le filtre « Catégorie »"
)
st.caption(
    f"Édition {ref.edition} · catégorie de référence : {ref.categorie} — {ref.libelle} "
    f"({provenance}). Par défaut : les candidatures de cette catégorie qui déclarent le "
    f"plus d'heures d'insertion (au plus {comparer.MAX_SELECTION})."
)
ids = st.multiselect(
    f"Candidatures à comparer (2 à {comparer.MAX_SELECTION})",
    list(libelles),
    format_func=libelles.__getitem__,
    key=CLE_SELECTION,
    bind="query-params",
    max_selections=comparer.MAX_SELECTION,
    placeholder="Choisir des candidatures",
    select_all=False,
)
imprimable = st.toggle(
    "Version imprimable",
    key=CLE_IMPRIMABLE,
    bind="query-params",
    help=(
        "Une figure par ligne, des tableaux complets dont les colonnes portent le numéro "
        "de la candidature ; refermez le panneau latéral puis imprimez (Ctrl+P)."
    ),
)
if len(ids) < 2:
    st.info("Choisissez au moins deux candidatures à comparer.")
    st.stop()
if imprimable:
    st.caption(
        "Version imprimable : refermez le panneau latéral (« ‹‹ » en haut à gauche) pour "
        "donner toute la largeur de la page aux tableaux, puis imprimez (Ctrl+P)."
    )

comp = comparer.comparaison(ids, ref)
selection = comp.selection.with_columns(
    pl.Series(
        "repere",
        [charts.repere(i + 1, s) for i, s in enumerate(comp.selection["structure_nom"])],
        dtype=pl.String,
    )
)
reperes = dict(zip(selection["candidature_id"], selection["repere"], strict=True))
# on paper, table columns carry only the number of the « Candidatures comparées » list
colonnes_tableaux = (
    selection.with_columns(pl.Series("repere", [str(i + 1) for i in range(selection.height)]))
    if imprimable
    else selection
)
numeros = dict(zip(colonnes_tableaux["candidature_id"], colonnes_tableaux["repere"], strict=True))
portee = tableaux.portee(ref.categorie, ref.edition, comp.effectif)
colonne_mediane = f"Médiane {ref.categorie} {ref.edition}"

st.header("Candidatures comparées")
tableau(
    pl.DataFrame(
        {
            "N°": [str(i + 1) for i in range(selection.height)],
            "Candidature": selection["libelle"],
            f"Dans la catégorie {ref.categorie}": [
                "oui" if d else "non (placée face à la catégorie)"
                for d in selection["dans_categorie"]
            ],
        }
    ),
    imprimable,
)

st.header("Côte à côte")
codes = comparer.CODES
tableau(
    tableaux.tableau_comparatif(colonnes_tableaux, comp.medianes, codes, colonne_mediane),
    imprimable,
)
st.caption(
    f"Valeurs déclarées et indicateurs normalisés, avec la médiane des {portee}. "
    f"« {indicators.NON_RENSEIGNE} » : non renseigné ou non calculable (terme "
    "manquant ou dénominateur nul). Heures pour 1 000 habitants : population de la commune "
    "principale du projet (populations légales 2023)."
)

st.header("Face à la médiane de la catégorie")
medianes = dict(zip(comp.medianes["indicateur"], comp.medianes["mediane"], strict=True))
cles = [indicators.PAR_CODE[c] for c in indicators.CLES]
colonnes = 1 if imprimable else 2
for debut in range(0, len(cles), colonnes):
    for colonne, ind in zip(st.columns(colonnes), cles[debut : debut + colonnes], strict=False):
        with colonne:
            mediane = medianes.get(ind.code)
            figure(
                charts.barres_vs_mediane(selection, comp.centiles, ind, mediane, portee),
                f"{ind.libelle} de chaque candidature (barre, valeur et rang centile écrits) "
                f"et médiane de la catégorie {ref.categorie} {ref.edition} "
                f"({indicators.format_valeur(ind, mediane)}, trait gris).",
                imprimable,
            )

st.header("Rang centile dans la catégorie")
st.caption(
    f"Rang centile : part des autres candidatures {ref.categorie} {ref.edition} dont la "
    "valeur est inférieure (les égalités comptent pour moitié). 85e : la candidature fait "
    "mieux que 85 % des autres ; 50e : la médiane ; 100e : la valeur la plus haute. "
    "Une position, pas un jugement : plus n'est pas toujours mieux."
)
normalises = [i.code for i in indicators.NORMALISES]
tableau(tableaux.tableau_centiles(comp.centiles, numeros, normalises), imprimable)
lecture = tableaux.lecture_centile(comp.centiles, reperes, normalises, ref.categorie, ref.edition)
if lecture:
    st.text(lecture)  # names a structure: candidate text, shown as plain text
figure(
    charts.radar_centiles(comp.centiles, reperes, normalises, portee),
    "Radar : chaque axe est un indicateur normalisé ramené à son rang centile dans la "
    f"catégorie {ref.categorie} {ref.edition} (0 = plus basse, 100 = plus haute), pour que "
    "des unités différentes partagent la même échelle ; pointillé gris : médiane (50e). "
    "Un point manquant : indicateur non calculable.",
    imprimable,
)
