"""« Corrections » (admin): settle flagged data in the app, kept across reloads.

The organiser records a correction (six kinds, a reason always), sees every correction
with its state at the last build (« appliquée » or « à revoir » and why), undoes one (the
undo is recorded too), and applies them to the warehouse without reloading any export.
Corrections live outside the warehouse (``data/corrections.sqlite``); every load applies
them again (``etl/warehouse/corrected.py``).
"""

from __future__ import annotations

import streamlit as st

from dashboard import auth, db, plain, queries
from dashboard.corrections.proposed import PROPOSEE, Proposee
from dashboard.filters import CHOISIR
from dashboard.queries import corrections as corrections_q
from etl import reference, warehouse
from etl.corrections import Correction, CorrectionInvalide, Decision, Kind, prepare, store
from etl.corrections.model import correctable_fields
from etl.french import format_integer
from etl.rules import ChargementImpossible
from etl.territory.search import search_communes

CLE_MESSAGE = "corrections_message"

compte = auth.current_account()
assert compte is not None and compte.role == "admin"


def appliquer() -> str:
    """Apply the corrections now; the French outcome."""
    try:
        with st.spinner("Application des corrections : nouvel entrepôt…"):
            changed = warehouse.apply_corrections()
    except ChargementImpossible as err:
        return f"Application impossible : {err}"
    return (
        "Corrections appliquées : toutes les pages montrent maintenant les valeurs corrigées."
        if changed
        else "Rien à faire : l'entrepôt applique déjà ces corrections."
    )


st.title("Corrections")
st.caption(
    "Corriger une donnée signalée sans toucher à l'export : la valeur saisie reste visible, "
    "la correction dit qui, quand et pourquoi, et chaque chargement l'applique à nouveau. "
    "Une correction dont la candidature a disparu, ou dont la valeur saisie a changé depuis, "
    "passe « à revoir » : elle n'est jamais appliquée à autre chose."
)
message = st.session_state.pop(CLE_MESSAGE, None)
if message:
    st.success(message, icon=":material/check:")
proposee: Proposee | None = st.session_state.pop(PROPOSEE, None)

editions = {e.annee: e for e in queries.configured_editions()}
chargees = corrections_q.loaded_editions()
annees = sorted((a for a in chargees if a in editions), reverse=True)
if not annees:
    st.info("Aucune candidature chargée : chargez d'abord un export.")
    st.stop()
if proposee is not None and proposee.edition in annees:
    st.session_state["corrections_edition"] = proposee.edition
annee = st.selectbox(
    "Édition",
    annees,
    format_func=lambda a: f"{a} — {editions[a].nom}",
    key="corrections_edition",
    placeholder=CHOISIR,
)
edition = editions[annee]
noms, ecartees = corrections_q.names(annee)


def libelle(cid: str | None) -> str:
    """« structure — projet » of a candidature (its id when unknown)."""
    return noms.get(cid or "", cid or "")


# --- the register --------------------------------------------------------------------
st.header("Registre")
toutes = corrections_q.recorded(annee)
etats = corrections_q.states()
actives = [c for c in toutes if c.active]
colonnes = st.columns(3)
colonnes[0].metric("Corrections actives", format_integer(len(actives)))
colonnes[1].metric(
    "À revoir",
    format_integer(sum(1 for c in actives if etats.get(int(c.id or 0), ("",))[0] == "a_revoir")),
)
colonnes[2].metric("Annulées", format_integer(len(toutes) - len(actives)))
if toutes:
    plain.table(corrections_q.register(toutes, edition, noms, etats))
else:
    st.info("Aucune correction pour cette édition.")
if st.button("Appliquer les corrections", icon=":material/published_with_changes:"):
    st.session_state[CLE_MESSAGE] = appliquer()
    st.rerun()

# --- a new correction ----------------------------------------------------------------
st.header("Nouvelle correction")
corrigeables = correctable_fields(edition)
if proposee is not None and proposee.edition == annee:
    st.info(
        "Correction proposée depuis « Qualité des données » : vérifiez, choisissez la "
        "valeur, dites pourquoi, puis enregistrez.",
        icon=":material/lightbulb:",
    )
    st.session_state["corrections_nature"] = proposee.nature
    st.session_state["corrections_candidature"] = proposee.candidature_id
    champ_propose = next((f for f in corrigeables if f.nom == proposee.champ), None)
    if champ_propose is not None:
        st.session_state["corrections_champ"] = champ_propose
    if proposee.recherche:
        st.session_state["corrections_recherche"] = proposee.recherche
nature = st.selectbox(
    "Nature",
    list(Kind),
    format_func=lambda k: k.label,
    key="corrections_nature",
    placeholder=CHOISIR,
)
candidats = sorted((c for c in noms if c not in ecartees), key=libelle)
cible = st.selectbox(
    "Candidature",
    candidats,
    index=None,
    format_func=libelle,
    key="corrections_candidature",
    placeholder=CHOISIR,
)
champ = categorie = valeur = None
if nature in (Kind.VALEUR, Kind.EXCLUSION):
    choisi = st.selectbox(
        "Champ",
        corrigeables,
        format_func=lambda f: f.libelle + (f" ({f.unite})" if f.unite else ""),
        key="corrections_champ",
        placeholder=CHOISIR,
    )
    champ = choisi.nom if choisi else None
    if nature is Kind.VALEUR:
        valeur = st.text_input("Nouvelle valeur", key="corrections_valeur")
elif nature is Kind.TERRITOIRE:
    recherche = st.text_input(
        "Commune (nom, code postal ou département, ex. « Saint-Denis 93 »)",
        key="corrections_recherche",
    )
    if recherche.strip():
        rural = edition.eligibilite.rural
        trouvees = search_communes(reference.load_reference(), recherche, rural=rural)
        if trouvees.height == 0:
            st.warning("Aucune commune ne correspond : essayez le code postal.")
        else:
            lignes = {
                r["code"]: (
                    f"{r['nom']} ({r['departement_nom']}, {r['code']}) — "
                    f"{format_integer(r['population'] or 0)} habitants"
                    + (f" — {r['rural']}" if r.get("rural") else "")
                )
                for r in trouvees.iter_rows(named=True)
            }
            valeur = st.radio(
                "Commune retenue",
                list(lignes),
                format_func=lignes.__getitem__,
                key="corrections_commune",
            )
elif nature is Kind.ELIGIBILITE:
    prix = {c.code: c.libelle for c in edition.categories}
    categorie = st.selectbox(
        "Prix",
        list(prix),
        format_func=prix.__getitem__,
        key="corrections_prix",
        placeholder=CHOISIR,
    )
    decision = st.radio(
        "Décision",
        list(Decision),
        format_func=lambda d: d.label.capitalize(),
        horizontal=True,
        key="corrections_decision",
    )
    valeur = decision.value if decision else None
elif nature is Kind.FUSION:
    valeur = st.selectbox(
        "Candidature gardée (celle-ci y est fusionnée)",
        [c for c in candidats if c != cible],
        index=None,
        format_func=libelle,
        key="corrections_gardee",
        placeholder=CHOISIR,
    )
motif = st.text_input("Motif (obligatoire, une phrase)", key="corrections_motif", max_chars=300)
if st.button("Enregistrer et appliquer", type="primary", icon=":material/save:"):
    if cible is None or nature is None:
        st.error("Choisissez la candidature à corriger.", icon=":material/error:")
        st.stop()
    demande = Correction(
        edition=annee,
        candidature_id=cible,
        nature=nature,
        champ=champ,
        categorie=categorie,
        valeur=valeur,
        motif=motif,
        auteur=f"{compte.nom} ({compte.identifiant})",
    )
    try:
        with db.cursor() as cur:
            prete = prepare(demande, edition, cur)
    except CorrectionInvalide as err:
        st.error(f"Correction refusée : {err}", icon=":material/error:")
        st.stop()
    with store.connect() as con:
        enregistree = store.add(con, prete)
    st.session_state[CLE_MESSAGE] = f"Correction n° {enregistree.id} enregistrée. " + appliquer()
    st.rerun()

# --- undo ------------------------------------------------------------------------------
if actives:
    st.header("Annuler une correction")
    numero = st.selectbox(
        "Correction",
        [c.id for c in actives],
        format_func=lambda n: next(
            f"n° {c.id} — {libelle(c.candidature_id)} — {c.nature.label}"
            for c in actives
            if c.id == n
        ),
        index=None,
        key="corrections_annuler",
        placeholder=CHOISIR,
    )
    pourquoi = st.text_input("Pourquoi l'annuler (obligatoire)", key="corrections_pourquoi")
    if st.button("Annuler la correction", icon=":material/undo:"):
        if numero is None or not pourquoi.strip():
            st.error(
                "Choisissez la correction et dites pourquoi l'annuler.", icon=":material/error:"
            )
            st.stop()
        with store.connect() as con:
            store.undo(con, int(numero), f"{compte.nom} ({compte.identifiant})", pourquoi)
        st.session_state[CLE_MESSAGE] = (
            f"Correction n° {numero} annulée (gardée au registre). " + appliquer()
        )
        st.rerun()
