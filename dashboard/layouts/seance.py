"""« Séance du jury »: the meeting where the jury decides, one prize at a time, readable
on a projector (the page script ``app_pages/jury_seance.py`` calls :func:`render`).

The admin drives (presences, decisions and their justifications); jurors follow read
only, for the prizes whose scores they all sent. Other open screens see a decision within
seconds (a fragment watches the store's version). The table, the close calls and the
recusals depend only on the store's and the warehouse's versions and the prize: they are
drawn once and replayed (``st.cache_resource``, see ``dashboard/layouts/__init__.py``).
Candidature names are candidates' text: shown in tables or as plain text, never HTML.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, db, plain
from dashboard.filters import CHOISIR
from dashboard.jury import decisions, meeting
from dashboard.jury.states import Decision
from dashboard.queries import jury as jury_q
from etl.editions.model import Category, Edition
from etl.french import format_decimal, format_integer, format_ordinal, plural
from etl.semantic import indicators

CLE_EDITION = "seance_edition"
CLE_PRIX = "seance_prix"
CLE_MESSAGE = "seance_message"
CLE_TOUT = "seance_tout"
LIGNES_PROJECTEUR = 10
"""Rows shown at first: what a projected screen holds (the rest on demand)."""
VERIFICATION_S = 2
"""How often an open séance checks whether a decision was recorded elsewhere."""
RETIRER = "retirer"


@st.fragment(run_every=VERIFICATION_S)
def surveiller(version_dessinee: int) -> None:
    """Redraw the séance as soon as the store records something (another screen decided)."""
    if jury_q.store_version() != version_dessinee:
        st.rerun(scope="app")


def nombre(valeur: float | None) -> str:
    return indicators.NON_RENSEIGNE if valeur is None else format_decimal(valeur, 2)


def decision_text(niveau: str | None, justification: str | None) -> str:
    if niveau is None:
        return ""
    label = Decision.label_of(niveau)
    return f"{label} — {justification}" if justification else label


def tableau(feuille: meeting.PrizeSheet, lignes: pl.DataFrame) -> pl.DataFrame:
    """The projected table: one row per candidature, methods side by side."""

    def avec_rang(valeurs: pl.Series, rangs: pl.Series) -> list[str]:
        return [f"{nombre(v)} ({format_ordinal(r)})" for v, r in zip(valeurs, rangs, strict=True)]

    heures = [
        indicators.NON_RENSEIGNE
        if h is None
        else f"{format_integer(int(h))} h"
        + ("" if c is None else f" · {indicators.rang(c)} centile")
        for h, c in zip(lignes["heures_insertion"], lignes["centile_heures"], strict=True)
    ]
    notes = [
        plural(n, "note") + (f" + {plural(a, 'abstention')}" if a else "")
        for n, a in zip(lignes["nb_notes"], lignes["abstentions"], strict=True)
    ]
    return pl.DataFrame(
        {
            "Rang": [format_ordinal(int(r)) for r in lignes["rang_normalise"]],
            "Candidature": lignes["libelle"],
            "Note normalisée": avec_rang(lignes["note_normalisee"], lignes["rang_normalise"]),
            "Moyenne": avec_rang(lignes["moyenne"], lignes["rang_moyenne"]),
            "Médiane": avec_rang(lignes["mediane"], lignes["rang_mediane"]),
            "Notes": notes,
            "Heures d'insertion (centile du prix)": heures,
            "Territoire et éligibilité": [
                f"{t} · {e}"
                for t, e in zip(lignes["territoire"], lignes["eligibilite"], strict=True)
            ],
            "Décision": [
                decision_text(n, j)
                for n, j in zip(lignes["niveau"], lignes["justification"], strict=True)
            ],
        }
    )


def choix_possibles(category: Category) -> dict[str, str]:
    """Decisions the prize allows, by key, with their French wording."""
    choix = {
        Decision.PRESELECTION.value: "Présélectionner",
        Decision.LAUREAT.value: "Nommer lauréate",
    }
    if category.ex_aequo:
        choix[Decision.EX_AEQUO.value] = "Lauréate ex æquo"
    if category.mentions_max:
        choix[Decision.MENTION.value] = "Mention du jury"
    choix[RETIRER] = "Retirer la décision"
    return choix


def decider(
    edition: Edition, feuille: meeting.PrizeSheet, candidats: pl.DataFrame, admin: str
) -> None:
    """The decision form, on the candidatures the table shows (all of them once « Afficher
    tout le classement » is on)."""
    category = feuille.category
    par_id = {
        str(i): f"{format_ordinal(int(r))} · {lib}"
        for i, r, lib in zip(
            candidats["candidature_id"],
            candidats["rang_normalise"],
            candidats["libelle"],
            strict=True,
        )
    }
    choix = choix_possibles(category)
    with st.form(f"seance-decision-{edition.annee}-{category.code}", enter_to_submit=False):
        cible = st.selectbox(
            "Candidature", list(par_id), format_func=par_id.__getitem__, placeholder=CHOISIR
        )
        quoi = st.radio("Décision", list(choix), format_func=choix.__getitem__, horizontal=True)
        pourquoi = st.text_input(
            "Justification (une ligne)",
            max_chars=decisions.JUSTIFICATION_MAX,
            help="Obligatoire pour un lauréat, une mention, et tout choix contraire au "
            "classement ; elle figure au procès-verbal.",
        )
        valider = st.form_submit_button("Enregistrer la décision", type="primary")
    if valider and cible is not None and quoi is not None:
        decision = None if quoi == RETIRER else Decision(quoi)
        try:
            decisions.decide(
                jury_q.store(),
                admin,
                edition.annee,
                category,
                cible,
                decision,
                pourquoi,
                jury_q.rules(),
            )
        except decisions.DecisionRefused as err:
            st.error(str(err), icon=":material/block:")
        else:
            nom = plain.escape(par_id[cible].split(" · ", 1)[1])  # candidates' text
            verdict = "décision retirée" if decision is None else decision.label
            st.session_state[CLE_MESSAGE] = f"Décision enregistrée : {nom} — {verdict}."
            st.rerun()


def presences(edition: Edition, admin: str, version: int) -> None:
    noms = jury_q.juror_names()
    presents = jury_q.presences(edition.annee, version)
    titre = f"Jurés présents ({len(presents)})"
    with (
        st.expander(titre, icon=":material/groups:"),
        st.form(f"seance-presences-{edition.annee}", enter_to_submit=False),
    ):
        choisis = st.multiselect(
            "Jurés présents à la séance",
            list(noms),
            default=[p for p in presents if p in noms],
            format_func=noms.__getitem__,
            placeholder="Choisir les jurés présents",
            select_all=False,
        )
        if st.form_submit_button("Enregistrer les présences"):
            meeting.set_presences(jury_q.store(), admin, edition.annee, choisis)
            nombre_fr = plural(len(choisis), "juré présent", "jurés présents")
            st.session_state[CLE_MESSAGE] = f"Présences enregistrées : {nombre_fr}."
            st.rerun()


def proces_verbal(edition: Edition) -> None:
    st.subheader("Procès-verbal")
    st.caption(
        "Jurés présents, classements par méthode, décisions et justifications, conflits et "
        "récusations, décisions serrées, date et signatures : tous les prix de l'édition."
    )
    colonnes = st.columns(2)
    for colonne, fmt, mime in (
        (colonnes[0], "pdf", "application/pdf"),
        (colonnes[1], "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):

        def produire(fmt: str = fmt) -> bytes:
            return jury_q.proces_verbal(edition.annee, fmt)

        colonne.download_button(
            f"Procès-verbal ({fmt.upper()})",
            data=produire,
            file_name=f"proces-verbal-jury-{edition.annee}.{fmt}",
            mime=mime,
            icon=":material/download:",
            key=f"seance-pv-{fmt}-{edition.annee}",
        )


def shown_rows(feuille: meeting.PrizeSheet, tout: bool) -> pl.DataFrame:
    """The rows the projected table shows: the leading places and every decided one, or
    the whole ranking."""
    if tout:
        return feuille.candidats
    return feuille.candidats.filter(
        (pl.col("rang_normalise") <= max(LIGNES_PROJECTEUR, feuille.places))
        | pl.col("niveau").is_not_null()
    )


@st.cache_resource(ttl=600, max_entries=32, show_spinner=False)
def _body(
    store_version: int,
    warehouse_version: int | None,
    annee: int,
    code: str,
    tout: bool,
    masquees: tuple[str, ...] | None,
) -> None:
    # widget-free, the same for every session with the same key: drawn once per version
    # (and, for a juror, per set of recusals), then replayed
    feuille = jury_q.prize_sheet(annee, code, store_version)
    if masquees is not None:  # a juror: neither their recusals nor the others'
        feuille = feuille.hiding(masquees)
    lignes = shown_rows(feuille, tout)
    # candidates' names: escaped, st.table reads Markdown in its cells
    plain.table(tableau(feuille, lignes), hide_index=True)
    st.caption(
        "Classement selon la note normalisée (sévérité de chaque juré corrigée) ; entre "
        "parenthèses, le rang selon chaque méthode. Centile : position des heures "
        "d'insertion parmi les candidatures du prix."
    )
    st.subheader("Décisions serrées")
    if feuille.close_calls:
        with st.container(border=True):
            for phrase in feuille.close_calls:
                st.text(f"• {phrase}")
    else:
        st.text("Aucune : les méthodes s'accordent sur les places qui décident.")
    if feuille.recusations:
        st.subheader("Jurés récusés")
        st.text("\n".join(feuille.recusations))


def render() -> None:
    """The whole page for the signed-in account."""
    st.title("Séance du jury")
    compte = auth.current_account()
    assert compte is not None
    admin = compte.role == "admin"

    annees = list(jury_q.editions()) if admin else jury_q.assigned_editions(compte.identifiant)
    if not annees:
        st.info("Vous n'êtes affecté·e à aucun prix : aucune séance à suivre.")
        return
    if st.session_state.get(CLE_EDITION) not in annees:
        st.session_state[CLE_EDITION] = annees[0]
    gauche, droite = st.columns([1, 3])
    annee = gauche.selectbox("Édition", annees, key=CLE_EDITION, placeholder=CHOISIR)
    edition = jury_q.edition(annee)
    file = None if admin else jury_q.queue(compte.identifiant, annee)
    prix = [c for c in edition.categories if file is None or c.code in set(file["categorie_code"])]
    if not prix:
        st.info("Aucun prix à suivre pour cette édition.")
        return
    libelles = {c.code: f"Prix {c.numero} — {c.libelle}" for c in prix}
    if st.session_state.get(CLE_PRIX) not in libelles:
        st.session_state[CLE_PRIX] = prix[0].code
    code = droite.selectbox(
        "Prix", list(libelles), format_func=libelles.__getitem__, key=CLE_PRIX, placeholder=CHOISIR
    )
    version = jury_q.store_version()
    with st.sidebar:
        surveiller(version)

    flash = st.session_state.pop(CLE_MESSAGE, None)
    if flash:
        st.success(flash, icon=":material/check:")

    if file is not None and not jury_q.category_done(file, code):
        st.info(
            "Vous suivrez la séance de ce prix quand vous aurez envoyé toutes vos notes "
            "(page « Mes notations »).",
            icon=":material/visibility_off:",
        )
        return
    feuille = jury_q.prize_sheet(annee, code, version)
    st.text(f"Quota : {feuille.quota_fr}.")
    if feuille.candidats.is_empty():
        st.info("Aucune note envoyée pour ce prix : rien à délibérer pour l'instant.")
        if admin:
            presences(edition, compte.identifiant, version)
        return

    tout = st.toggle(
        f"Afficher tout le classement ({plural(feuille.candidats.height, 'candidature')})",
        key=CLE_TOUT,
    )
    lignes = shown_rows(feuille, tout)
    masquees = None if admin else jury_q.recused_ids(compte.identifiant, annee, version)
    _body(version, db.warehouse_version(), annee, code, tout, masquees)

    if admin:
        st.subheader("Décision")
        decider(edition, feuille, lignes, compte.identifiant)
        presences(edition, compte.identifiant, version)
        proces_verbal(edition)
