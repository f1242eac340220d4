"""« Corrections » (admin): settle flagged data in the app, kept across reloads.

The organiser records a correction (six kinds, a reason always), sees every correction
with its state at the last build (« appliquée » or « à revoir » and why), undoes one (the
undo is recorded too), and applies them to the warehouse without reloading any export.
Corrections live outside the warehouse (``data/corrections.sqlite``); every load applies
them again (``etl/warehouse/corrected.py``).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, db, plain, queries
from dashboard.filters import CHOISIR
from etl import reference, warehouse
from etl.corrections import Correction, CorrectionInvalide, Decision, Kind, prepare, store
from etl.editions.model import CHOICE_TYPES, NUMERIC_TYPES
from etl.french import format_datetime, format_if_number, format_integer
from etl.rules import ChargementImpossible
from etl.semantic.naming import candidature_names
from etl.territory.search import search_communes

CLE_MESSAGE = "corrections_message"
ETATS = {"appliquee": "appliquée", "a_revoir": "à revoir"}

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

editions = {e.annee: e for e in queries.configured_editions()}
with db.cursor() as cur:
    chargees = [
        int(r[0]) for r in cur.sql("select distinct edition from candidatures_toutes").fetchall()
    ]
    etats = cur.sql("select correction_id, etat, revue from corrections").pl()
annees = sorted((a for a in chargees if a in editions), reverse=True)
if not annees:
    st.info("Aucune candidature chargée : chargez d'abord un export.")
    st.stop()
annee = st.selectbox(
    "Édition",
    annees,
    format_func=lambda a: f"{a} — {editions[a].nom}",
    key="corrections_edition",
    placeholder=CHOISIR,
)
edition = editions[annee]
with db.cursor() as cur:
    noms = candidature_names(cur, annee)
    ecartees = cur.sql(
        "select candidature_id, structure_nom, projet_titre from candidatures_ecartees "
        "where edition = ?",
        params=[annee],
    ).fetchall()
for cid, structure, projet in ecartees:
    noms.setdefault(str(cid), f"{structure} — {projet}")


def libelle(cid: str | None) -> str:
    """« structure — projet » of a candidature (its id when unknown)."""
    return noms.get(cid or "", cid or "")


# --- the register --------------------------------------------------------------------
st.header("Registre")
with store.connect() as con:
    toutes = store.corrections(con, annee, with_undone=True)
actives = [c for c in toutes if c.active]
a_revoir = etats.filter(pl.col("etat") == "a_revoir")
colonnes = st.columns(3)
colonnes[0].metric("Corrections actives", format_integer(len(actives)))
colonnes[1].metric("À revoir", format_integer(a_revoir.height))
colonnes[2].metric("Annulées", format_integer(len(toutes) - len(actives)))
if toutes:
    etat_de = {int(r[0]): (r[1], r[2]) for r in etats.iter_rows()}

    def etat(c: Correction) -> str:
        if not c.active:
            return (
                f"annulée le {format_datetime(c.annulee_le)} par {c.annulee_par}"
                if c.annulee_le
                else "annulée"
            )
        found = etat_de.get(int(c.id or 0))
        if found is None:
            return "pas encore appliquée"
        return str(ETATS.get(found[0], found[0])) + (f" : {found[1]}" if found[1] else "")

    plain.table(
        pl.DataFrame(
            {
                "N°": [str(c.id) for c in toutes],
                "Candidature": [libelle(c.candidature_id) for c in toutes],
                "Correction": [c.nature.label for c in toutes],
                "Champ ou prix": [
                    next((f.libelle for f in edition.champs if f.nom == c.champ), c.champ or "")
                    or (c.categorie or "")
                    for c in toutes
                ],
                "Valeur saisie": [format_if_number(c.valeur_saisie) for c in toutes],
                "Valeur retenue": [
                    libelle(c.valeur) if c.nature is Kind.FUSION else format_if_number(c.valeur)
                    for c in toutes
                ],
                "Motif": [c.motif for c in toutes],
                "Par": [c.auteur for c in toutes],
                "Le": [format_datetime(c.cree_le) if c.cree_le else "" for c in toutes],
                "État": [etat(c) for c in toutes],
            }
        )
    )
else:
    st.info("Aucune correction pour cette édition.")
if st.button("Appliquer les corrections", icon=":material/published_with_changes:"):
    st.session_state[CLE_MESSAGE] = appliquer()
    st.rerun()

# --- a new correction ----------------------------------------------------------------
st.header("Nouvelle correction")
nature = st.selectbox(
    "Nature",
    list(Kind),
    format_func=lambda k: k.label,
    key="corrections_nature",
    placeholder=CHOISIR,
)
candidats = sorted((c for c in noms if c not in {str(e[0]) for e in ecartees}), key=libelle)
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
    corrigeables = [
        f
        for f in edition.champs
        if f.type in NUMERIC_TYPES | CHOICE_TYPES and not f.donnee_personnelle
    ]
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
