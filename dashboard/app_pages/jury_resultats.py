"""Résultats du jury : par prix, notes agrégées, décisions serrées en français, décisions
prises (quota, places restantes), détail des méthodes, notes de délibération, export. Les
décisions se prennent sur la page « Séance du jury ».

Administrateur : tous les prix et l'export. Juré : les prix
où il est affecté, une fois **toutes** ses notes de la catégorie envoyées (sinon ses
notes pourraient suivre celles des autres). Textes saisis affichés en tableaux (texte brut).
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import auth
from dashboard.filters import CHOISIR
from dashboard.jury import conflicts, decisions, export
from dashboard.jury.states import DONE_STATES, Decision
from dashboard.queries import jury as jury_q
from etl.editions.model import Category, Edition
from etl.french import (
    agree,
    format_datetime,
    format_decimal,
    format_integer,
    format_ordinal,
    plural,
)
from etl.semantic import indicators

CLE_EDITION = "jury_resultats_edition"
CLE_CATEGORIE = "jury_resultats_categorie"
CLE_MESSAGE = "jury_resultats_message"


def nombre(valeur: float | None, decimales: int = 2) -> str:
    return indicators.NON_RENSEIGNE if valeur is None else format_decimal(valeur, decimales)


def tableau(candidats: pl.DataFrame) -> pl.DataFrame:
    """The results in French for display: names first, numbers formatted."""
    return pl.DataFrame(
        {
            "Rang": [format_ordinal(int(r)) for r in candidats["rang_normalise"]],
            "Candidature": candidats["libelle"],
            "Décision": [Decision.label_of(n) for n in candidats["niveau"]],
            "Note normalisée": [nombre(v) for v in candidats["note_normalisee"]],
            "Moyenne": [nombre(v) for v in candidats["moyenne"]],
            "Médiane": [nombre(v) for v in candidats["mediane"]],
            "Notes": [format_integer(n) for n in candidats["nb_notes"]],
            "Serrée": ["oui" if s else "" for s in candidats["decision_serree"]],
        }
    )


def detail(candidats: pl.DataFrame) -> pl.DataFrame:
    """Spread and ranks of every method, for whoever wants to check the figures."""
    return pl.DataFrame(
        {
            "Candidature": candidats["libelle"],
            "Rang (moyenne)": [format_ordinal(int(r)) for r in candidats["rang_moyenne"]],
            "Rang (médiane)": [format_ordinal(int(r)) for r in candidats["rang_mediane"]],
            "Écart-type normalisé": [nombre(v) for v in candidats["ecart_type_normalise"]],
            "Abstentions": [format_integer(n) for n in candidats["abstentions"]],
            "Motifs de décision serrée": [" ; ".join(m) for m in candidats["motifs_serree"]],
            "Identifiant": candidats["candidature_id"],
        }
    )


def notes_deliberation(edition: Edition, category: Category, auteur: str) -> None:
    st.subheader("Notes de délibération")
    notes = decisions.deliberation_notes(jury_q.cursor(), edition.annee, category.code)
    if notes.is_empty():
        st.caption("Aucune note de délibération pour cette catégorie.")
    else:
        st.dataframe(
            pl.DataFrame(
                {
                    "Date": [format_datetime(m) for m in notes["cree_le"]],
                    "Auteur": notes["auteur"],
                    "Note": notes["texte"],
                }
            ),
            hide_index=True,
        )
    with st.form(
        f"deliberation-{edition.annee}-{category.code}", clear_on_submit=True, enter_to_submit=False
    ):
        texte = st.text_area("Ajouter une note de délibération", max_chars=5000)
        ajouter = st.form_submit_button("Ajouter la note")
    if ajouter:
        try:
            decisions.add_deliberation_note(
                jury_q.store(), auteur, edition.annee, category.code, texte
            )
        except ValueError as err:
            st.error(str(err))
        else:
            st.session_state[CLE_MESSAGE] = "Note de délibération ajoutée."
            st.rerun()


def exporter(edition: Edition, category: Category, admin: str) -> None:
    st.subheader("Export")
    st.caption(
        "Notes, critères, commentaires, résultats et décisions : le fichier qui justifie le "
        "résultat (formules neutralisées). Chaque export est inscrit au journal."
    )
    colonnes = st.columns(2)
    for colonne, fmt, mime in (
        (colonnes[0], "csv", "text/csv"),
        (colonnes[1], "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):

        def produire(fmt: Any = fmt) -> bytes:
            return export.export_bytes(
                jury_q.store(),
                admin,
                edition,
                fmt,
                categorie=category.code,
                candidatures=jury_q.candidatures(edition.annee),
                jurors=jury_q.juror_names(),
            )

        colonne.download_button(
            f"Exporter en {fmt.upper()}",
            data=produire,
            file_name=f"jury-{edition.annee}-{category.code}.{fmt}",
            mime=mime,
            icon=":material/download:",
            key=f"export-{fmt}-{edition.annee}-{category.code}",
        )


st.title("Résultats du jury")
compte = auth.current_account()
assert compte is not None
admin = compte.role == "admin"

annees = list(jury_q.editions()) if admin else jury_q.assigned_editions(compte.identifiant)
if not annees:
    st.info("Vous n'êtes affecté·e à aucune catégorie : aucun résultat à consulter.")
    st.stop()
if st.session_state.get(CLE_EDITION) not in annees:
    st.session_state[CLE_EDITION] = annees[0]
annee = st.selectbox("Édition du jury", annees, key=CLE_EDITION, placeholder=CHOISIR)
edition = jury_q.edition(annee)

file = None if admin else jury_q.queue(compte.identifiant, annee)
codes = [c.code for c in edition.categories]
if file is not None:
    codes = [c for c in codes if c in set(file["categorie_code"])]
if not codes:
    st.info("Aucune catégorie à consulter pour cette édition.")
    st.stop()
libelles = {c.code: f"Prix {c.numero} — {c.libelle}" for c in edition.categories}
if st.session_state.get(CLE_CATEGORIE) not in codes:
    st.session_state[CLE_CATEGORIE] = codes[0]
code = st.selectbox(
    "Prix", codes, format_func=libelles.__getitem__, key=CLE_CATEGORIE, placeholder=CHOISIR
)
category = edition.category(code)

flash = st.session_state.pop(CLE_MESSAGE, None)
if flash:
    st.success(flash)

if file is not None and not jury_q.category_done(file, code):
    part = file.filter(pl.col("categorie_code") == code)
    faites = part.filter(pl.col("etat").is_in(DONE_STATES)).height
    st.info(
        f"Les résultats de cette catégorie s'affichent quand vous avez envoyé toutes vos "
        f"notes : {faites} / {part.height} pour l'instant (page « Mes notations »).",
        icon=":material/visibility_off:",
    )
    st.stop()

feuille = jury_q.prize_sheet(annee, code)
candidats = feuille.candidats
if not admin:
    # a recused juror sees neither the candidature nor its rank, mean or decision
    recused = conflicts.recusals(jury_q.cursor(), annee).filter(
        pl.col("jure") == compte.identifiant
    )["candidature_id"]
    hidden = candidats.filter(pl.col("candidature_id").is_in(recused.implode()))
    feuille = feuille.hiding(recused.to_list())
    candidats = feuille.candidats
    if hidden.height:
        st.caption(
            f"{plural(hidden.height, 'candidature')} dont vous êtes "
            f"récusé·e {agree(hidden.height, 'masquée')} "
            "dans ce tableau."
        )
chiffres = st.columns(4)
chiffres[0].metric("Candidatures notées", format_integer(candidats.height))
chiffres[1].metric("Décisions serrées", format_integer(len(feuille.close_calls)))
chiffres[2].metric("Lauréats", f"{feuille.laureats} / {category.laureats_max}")
chiffres[3].metric("Places restantes", format_integer(feuille.places_restantes))

if candidats.is_empty():
    st.info("Aucune note envoyée pour ce prix.")
else:
    st.dataframe(
        tableau(candidats),
        hide_index=True,
        column_config={"Candidature": st.column_config.TextColumn(width="large")},
    )
    st.caption(
        "Classement selon la note normalisée (sévérité des jurés corrigée), puis la "
        "moyenne. Les décisions se prennent en séance (page « Séance du jury »)."
    )
    if feuille.close_calls:
        st.subheader("Décisions serrées")
        st.text("\n".join(f"• {phrase}" for phrase in feuille.close_calls))
    with st.expander("Détail des méthodes et des écarts", icon=":material/table:"):
        st.dataframe(detail(candidats), hide_index=True)

notes_deliberation(edition, category, compte.identifiant)
if admin:
    exporter(edition, category, compte.identifiant)
