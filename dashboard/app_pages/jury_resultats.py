"""Résultats du jury : par catégorie, notes agrégées, décisions serrées, présélection,
lauréats (quota, places restantes), notes de délibération, export.

Administrateur : toutes les catégories, les décisions et l'export. Juré : les catégories
où il est affecté, une fois **toutes** ses notes de la catégorie envoyées (sinon ses
notes pourraient suivre celles des autres). Textes saisis affichés en tableaux (texte brut).
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import auth
from dashboard.jury import conflicts, decisions, export
from dashboard.queries import jury as jury_q
from etl.editions.model import Category, Edition
from etl.french import agree, format_datetime, format_decimal, format_integer, plural
from etl.semantic import indicators

CLE_EDITION = "jury_resultats_edition"
CLE_CATEGORIE = "jury_resultats_categorie"
CLE_MESSAGE = "jury_resultats_message"
DECISIONS_FR = {"preselection": "présélectionnée", "laureat": "lauréate"}
CHOIX_DECISION: dict[str, decisions.Niveau | None] = {
    "Présélectionner": "preselection",
    "Nommer lauréate": "laureat",
    "Retirer la décision": None,
}


def nombre(valeur: float | None, decimales: int = 2) -> str:
    return indicators.NON_RENSEIGNE if valeur is None else format_decimal(valeur, decimales)


def tableau(table: pl.DataFrame, candidatures: pl.DataFrame) -> pl.DataFrame:
    """The results in French for display (numbers formatted, reasons joined)."""
    noms = candidatures.unique("candidature_id").select(
        "candidature_id", "structure_nom", "projet_titre"
    )
    t = table.join(noms, on="candidature_id", how="left", maintain_order="left")
    return pl.DataFrame(
        {
            "Rang": [str(r) for r in t["rang_normalise"]],
            "Décision": [DECISIONS_FR.get(n or "", "") for n in t["niveau"]],
            "Structure": t["structure_nom"].fill_null(indicators.NON_RENSEIGNE),
            "Note normalisée": [nombre(v) for v in t["note_normalisee"]],
            "Moyenne": [nombre(v) for v in t["moyenne"]],
            "Médiane": [nombre(v) for v in t["mediane"]],
            "Nb de notes": [format_integer(n) for n in t["nb_notes"]],
            "Écart-type": [nombre(v) for v in t["ecart_type"]],
            "Écart-type normalisé": [nombre(v) for v in t["ecart_type_normalise"]],
            "Étendue": [nombre(v) for v in t["etendue"]],
            "Rang (moyenne)": [str(r) for r in t["rang_moyenne"]],
            "Rang (médiane)": [str(r) for r in t["rang_mediane"]],
            "Décision serrée": [
                ("oui : " + " ; ".join(m)) if s else "non"
                for s, m in zip(t["decision_serree"], t["motifs_serree"], strict=True)
            ],
            "Abstentions": [format_integer(n) for n in t["abstentions"]],
            "Projet": t["projet_titre"].fill_null(indicators.NON_RENSEIGNE),
            "Candidature": t["candidature_id"],
        }
    )


def libelle_candidature(row: dict[str, Any]) -> str:
    return f"{row['Rang']}. {row['Structure']} · {row['Projet']} ({row['Candidature']})"


def decider(edition: Edition, category: Category, lignes: pl.DataFrame, admin: str) -> None:
    st.subheader("Décision")
    par_id = {r["Candidature"]: r for r in lignes.iter_rows(named=True)}
    with st.form(f"decision-{edition.annee}-{category.code}", enter_to_submit=False):
        cible = st.selectbox(
            "Candidature",
            list(par_id),
            format_func=lambda cid: libelle_candidature(par_id[cid]),
        )
        choix = st.radio("Décision", list(CHOIX_DECISION), horizontal=True)
        valider = st.form_submit_button("Enregistrer la décision", type="primary")
    if valider and cible is not None:
        try:
            decisions.decide(
                jury_q.store(), admin, edition.annee, category, cible, CHOIX_DECISION[choix]
            )
        except decisions.QuotaReached as err:
            st.error(str(err), icon=":material/block:")
        else:
            st.session_state[CLE_MESSAGE] = f"Décision enregistrée pour {cible} : {choix}."
            st.rerun()


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
            return export.export_bytes(jury_q.store(), admin, edition, fmt, categorie=category.code)

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
annee = st.selectbox("Édition du jury", annees, key=CLE_EDITION)
edition = jury_q.edition(annee)

file = None if admin else jury_q.queue(compte.identifiant, annee)
codes = [c.code for c in edition.categories]
if file is not None:
    codes = [c for c in codes if c in set(file["categorie_code"])]
if not codes:
    st.info("Aucune catégorie à consulter pour cette édition.")
    st.stop()
libelles = {c.code: f"{c.code} — {c.libelle}" for c in edition.categories}
if st.session_state.get(CLE_CATEGORIE) not in codes:
    st.session_state[CLE_CATEGORIE] = codes[0]
code = st.selectbox("Catégorie", codes, format_func=libelles.__getitem__, key=CLE_CATEGORIE)
category = edition.category(code)

flash = st.session_state.pop(CLE_MESSAGE, None)
if flash:
    st.success(flash)

if file is not None and not jury_q.category_done(file, code):
    part = file.filter(pl.col("categorie_code") == code)
    faites = part.filter(pl.col("etat").is_in(list(jury_q.ETATS_FAITS))).height
    st.info(
        f"Les résultats de cette catégorie s'affichent quand vous avez envoyé toutes vos "
        f"notes : {faites} / {part.height} pour l'instant (page « Mes notations »).",
        icon=":material/visibility_off:",
    )
    st.stop()

con = jury_q.cursor()
table = decisions.category_results(con, annee, category, jury_q.rules())
if not admin:
    # a recused juror sees neither the candidature nor its rank, mean or decision
    recused = conflicts.recusals(con, annee).filter(pl.col("jure") == compte.identifiant)
    hidden = table.filter(pl.col("candidature_id").is_in(recused["candidature_id"].implode()))
    table = table.filter(~pl.col("candidature_id").is_in(recused["candidature_id"].implode()))
    if hidden.height:
        st.caption(
            f"{plural(hidden.height, 'candidature')} dont vous êtes "
            f"récusé·e {agree(hidden.height, 'masquée')} "
            "dans ce tableau."
        )
restantes = decisions.remaining_places(con, annee, category)
chiffres = st.columns(4)
chiffres[0].metric("Candidatures notées", format_integer(table.height))
chiffres[1].metric("Décisions serrées", format_integer(int(table["decision_serree"].sum())))
chiffres[2].metric("Lauréats", f"{category.laureats_max - restantes} / {category.laureats_max}")
chiffres[3].metric("Places restantes", format_integer(restantes))

if table.is_empty():
    st.info("Aucune note envoyée pour cette catégorie.")
else:
    lignes = tableau(table, jury_q.candidatures(annee))
    st.dataframe(lignes, hide_index=True)
    st.caption(
        "Classement selon la note normalisée (sévérité des jurés corrigée), puis la "
        "moyenne. « Décision serrée » : les méthodes ne s'accordent pas, désaccord fort, "
        "ex æquo ou une seule note (docs/jury.md)."
    )
    if admin:
        decider(edition, category, lignes, compte.identifiant)

notes_deliberation(edition, category, compte.identifiant)
if admin:
    exporter(edition, category, compte.identifiant)
