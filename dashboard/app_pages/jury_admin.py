"""Administration du jury : affectations, conflits d'intérêts (suggestions, confirmation),
réouverture d'une note envoyée, journal.

Chaque action passe par ``dashboard.jury`` et est inscrite au journal. Les textes
saisis (motifs, commentaires) sont affichés en tableaux (texte brut).
"""

from __future__ import annotations

from datetime import datetime

import polars as pl
import streamlit as st

from dashboard import auth
from dashboard.jury import audit, scoring
from dashboard.jury import conflicts as conflits
from dashboard.queries import jury as jury_q
from etl.french import agree, format_datetime, format_decimal, format_integer, plural
from etl.semantic import indicators

CLE_EDITION = "jury_admin_edition"
CLE_MESSAGE = "jury_admin_message"
STATUTS = {"en_attente": "en attente", "confirme": "confirmé", "rejete": "écarté"}
ORIGINES = {"declaration": "déclaré par le juré", "suggestion": "suggéré"}
ACTIONS_FR = {
    "note": "note envoyée",
    "reouverture": "réouverture",
    "recusation": "récusation",
    "conflit": "conflit",
    "affectation": "affectation",
    "decision": "décision",
    "note_deliberation": "note de délibération",
    "export": "export",
    "sauvegarde": "sauvegarde",
    "consultation_contacts": "consultation des contacts",
    "connexion": "connexion",
}


def fait(texte: str) -> None:
    st.session_state[CLE_MESSAGE] = texte
    st.rerun()


def moment_text(moment: object) -> str:
    """A stored moment in French, or nothing when it is missing."""
    return format_datetime(moment) if isinstance(moment, datetime) else ""


st.title("Administration du jury")
compte = auth.current_account()
assert compte is not None
admin = compte.identifiant

annees = list(jury_q.editions())
annee = st.selectbox("Édition du jury", annees, key=CLE_EDITION)
edition = jury_q.edition(annee)
flash = st.session_state.pop(CLE_MESSAGE, None)
if flash:
    st.success(flash)

con = jury_q.cursor()
jures = jury_q.jury_accounts()
noms = {a.identifiant: a.nom for a in jures}
candidatures = jury_q.candidatures(annee)
structures = dict(
    zip(
        candidatures["candidature_id"],
        candidatures["structure_nom"].fill_null(indicators.NON_RENSEIGNE),
        strict=True,
    )
)


def nom_jure(identifiant: str) -> str:
    nom = noms.get(identifiant)
    return f"{nom} ({identifiant})" if nom else identifiant


affectations_tab, conflits_tab, notes_tab, journal_tab = st.tabs(
    ["Affectations", "Conflits d'intérêts", "Notes envoyées", "Journal"]
)

with affectations_tab:
    affectations = scoring.assignments(con, annee)
    par_categorie = {
        c.code: sorted(affectations.filter(pl.col("categorie_code") == c.code)["jure"])
        for c in edition.categories
    }
    nb = candidatures.group_by("categorie_code").len()
    nb_par = dict(zip(nb["categorie_code"], nb["len"], strict=True))
    st.dataframe(
        pl.DataFrame(
            {
                "Catégorie": [f"{c.code} — {c.libelle}" for c in edition.categories],
                "Candidatures à noter": [
                    format_integer(int(nb_par.get(c.code, 0))) for c in edition.categories
                ],
                "Jurés affectés": [
                    ", ".join(nom_jure(j) for j in par_categorie[c.code]) or "aucun"
                    for c in edition.categories
                ],
            }
        ),
        hide_index=True,
    )
    if not jures:
        st.warning(
            "Aucun compte de rôle « jury » : créez-en avec `trophees comptes` (docs/comptes.md)."
        )
    else:
        with st.form(f"affecter-{annee}", enter_to_submit=False):
            libelles = {c.code: f"{c.code} — {c.libelle}" for c in edition.categories}
            categorie = st.selectbox("Catégorie", list(libelles), format_func=libelles.__getitem__)
            choisis = st.multiselect(
                "Jurés à affecter",
                [a.identifiant for a in jures],
                format_func=nom_jure,
                placeholder="Choisir des jurés",
                select_all=False,
            )
            affecter = st.form_submit_button("Affecter", type="primary")
        if affecter and categorie is not None:
            if not choisis:
                st.error("Choisissez au moins un juré.")
            else:
                ajoutes = scoring.assign(jury_q.store(), admin, annee, categorie, choisis)
                fait(
                    f"{plural(ajoutes, 'juré')} {agree(ajoutes, 'affecté')} à {categorie} "
                    "(les autres l'étaient déjà)."
                )

with conflits_tab:
    st.caption(
        "Un conflit déclaré par un juré le récuse tout de suite ; une suggestion ne récuse "
        "personne tant qu'elle n'est pas confirmée. Règles : config/jury.toml."
    )
    if st.button("Calculer les suggestions", icon=":material/manage_search:"):
        suggestions = conflits.suggest_conflicts(jures, candidatures, jury_q.rules().conflits)
        nouvelles = conflits.record_suggestions(jury_q.store(), admin, suggestions)
        fait(
            f"{plural(suggestions.height, 'conflit')} {agree(suggestions.height, 'probable')} "
            f"{agree(suggestions.height, 'trouvé')}, "
            f"dont {format_integer(nouvelles)} nouveau(x) à examiner."
        )
    liste = conflits.conflicts(con, annee)
    if liste.is_empty():
        st.info("Aucun conflit d'intérêts signalé pour cette édition.")
    else:
        st.dataframe(
            pl.DataFrame(
                {
                    "Juré": [nom_jure(j) for j in liste["jure"]],
                    "Candidature": liste["candidature_id"],
                    "Structure": [
                        structures.get(c, indicators.NON_RENSEIGNE) for c in liste["candidature_id"]
                    ],
                    "Origine": [ORIGINES.get(o, o) for o in liste["origine"]],
                    "Motif": liste["motif"].fill_null(""),
                    "Statut": [STATUTS.get(s, s) for s in liste["statut"]],
                    "Récusé": ["oui" if r else "non" for r in liste["recuse"]],
                    "Décidé par": liste["decide_par"].fill_null(""),
                }
            ),
            hide_index=True,
        )
        paires = [f"{j}|{c}" for j, c in zip(liste["jure"], liste["candidature_id"], strict=True)]
        statuts = dict(zip(paires, liste["statut"], strict=True))
        with st.form(f"conflit-{annee}", enter_to_submit=False):
            paire = st.selectbox(
                "Conflit à décider",
                paires,
                format_func=lambda p: (
                    f"{nom_jure(p.split('|')[0])} · {p.split('|')[1]} "
                    f"({STATUTS.get(statuts[p], statuts[p])})"
                ),
            )
            gauche, droite = st.columns(2)
            confirmer = gauche.form_submit_button("Confirmer la récusation", type="primary")
            ecarter = droite.form_submit_button("Écarter le conflit")
        if (confirmer or ecarter) and paire is not None:
            jure, candidature_id = paire.split("|", 1)
            conflits.decide_conflict(
                jury_q.store(), admin, annee, candidature_id, jure, bool(confirmer)
            )
            fait(
                f"Récusation de {jure} confirmée pour {candidature_id}."
                if confirmer
                else f"Conflit de {jure} écarté pour {candidature_id}."
            )

with notes_tab:
    envoyees = scoring.submitted_scores(con, annee)
    if envoyees.is_empty():
        st.info("Aucune note envoyée pour cette édition.")
    else:
        st.dataframe(
            pl.DataFrame(
                {
                    "Catégorie": envoyees["categorie_code"],
                    "Candidature": envoyees["candidature_id"],
                    "Juré": [nom_jure(j) for j in envoyees["jure"]],
                    "Note": [
                        "abstention"
                        if a
                        else (format_decimal(n, 2) if n is not None else indicators.NON_RENSEIGNE)
                        for n, a in zip(envoyees["note"], envoyees["abstention"], strict=True)
                    ],
                    "Envoyée le": [moment_text(m) for m in envoyees["soumise_le"]],
                }
            ),
            hide_index=True,
        )
        cles = [
            f"{c}|{i}|{j}"
            for c, i, j in zip(
                envoyees["categorie_code"],
                envoyees["candidature_id"],
                envoyees["jure"],
                strict=True,
            )
        ]
        with st.form(f"rouvrir-{annee}", enter_to_submit=False):
            cle = st.selectbox(
                "Note à rouvrir",
                cles,
                format_func=lambda k: " · ".join(
                    (k.split("|")[0], k.split("|")[1], nom_jure(k.split("|")[2]))
                ),
            )
            motif = st.text_input("Motif de la réouverture (obligatoire, journalisé)")
            rouvrir = st.form_submit_button("Rouvrir la note")
        if rouvrir and cle is not None:
            categorie_code, candidature_id, jure = cle.split("|", 2)
            try:
                scoring.reopen_score(
                    jury_q.store(), admin, annee, categorie_code, candidature_id, jure, motif
                )
            except scoring.ScoringRefused as err:
                st.error(str(err))
            else:
                fait(f"Note de {jure} sur {candidature_id} rouverte : le juré peut la modifier.")

with journal_tab:
    filtres = st.columns(2)
    action = filtres[0].selectbox(
        "Action",
        [None, *audit.ACTIONS],
        format_func=lambda a: "toutes" if a is None else ACTIONS_FR.get(a, a),
    )
    acteur = filtres[1].text_input("Acteur (identifiant exact)").strip() or None
    lignes = audit.journal(con, action=action, acteur=acteur)
    st.caption(f"{plural(lignes.height, 'ligne')}, les plus récentes d'abord (500 au plus).")
    st.dataframe(
        pl.DataFrame(
            {
                "Horodatage": [moment_text(m) for m in lignes["horodatage"]],
                "Acteur": lignes["acteur"],
                "Action": [ACTIONS_FR.get(a, a) for a in lignes["action"]],
                "Cible": lignes["cible"].fill_null(""),
                "Détail": lignes["detail"].fill_null(""),
            }
        ),
        hide_index=True,
    )
