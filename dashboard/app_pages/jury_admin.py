"""Administration du jury : affectations, conflits d'intérêts (suggestions, confirmation),
réouverture d'une note envoyée, journal.

Chaque action passe par ``dashboard.jury`` et est inscrite au journal. Les textes
saisis (motifs, commentaires) sont affichés en tableaux (texte brut).
"""

from __future__ import annotations

from datetime import datetime

import polars as pl
import streamlit as st

from dashboard import auth, plain
from dashboard.filters import CHOISIR
from dashboard.jury import audit, corrected, scoring
from dashboard.jury import conflicts as conflits
from dashboard.jury.states import AuditAction, ConflictOrigin, ConflictStatus
from dashboard.queries import corrections as corrections_q
from dashboard.queries import jury as jury_q
from etl.french import agree, format_datetime, format_decimal, format_integer, plural
from etl.semantic import indicators, naming

CLE_EDITION = "jury_admin_edition"
CLE_MESSAGE = "jury_admin_message"


def fait(texte: str) -> None:
    # the message names candidatures and jurors (typed text): shown literally
    st.session_state[CLE_MESSAGE] = plain.escape(texte)
    st.rerun()


def moment_text(moment: object) -> str:
    """A stored moment in French, or nothing when it is missing."""
    return format_datetime(moment) if isinstance(moment, datetime) else ""


st.title("Administration du jury")
compte = auth.current_account()
assert compte is not None
admin = compte.identifiant

annees = list(jury_q.editions())
annee = st.selectbox("Édition du jury", annees, key=CLE_EDITION, placeholder=CHOISIR)
edition = jury_q.edition(annee)
flash = st.session_state.pop(CLE_MESSAGE, None)
if flash:
    st.success(flash)

con = jury_q.cursor()
jures = jury_q.jury_accounts()
noms = {a.identifiant: a.nom for a in jures}
candidatures = jury_q.candidatures(annee)
uniques = candidatures.unique("candidature_id", keep="first", maintain_order=True)
noms_candidatures = dict(
    zip(uniques["candidature_id"], naming.with_labels(uniques)["libelle"], strict=True)
)
prix = {c.code: f"Prix {c.numero} — {c.libelle}" for c in edition.categories}


def nom_candidature(candidature_id: str | None) -> str:
    """« structure — projet » (the id only for a candidature the warehouse no longer has)."""
    if not candidature_id:
        return ""
    return str(noms_candidatures.get(candidature_id, f"candidature retirée ({candidature_id})"))


def cible_lisible(cible: str | None) -> str:
    """An audit target for people: a candidature by name, an « édition/prix » by label."""
    if not cible:
        return ""
    if cible in noms_candidatures:
        return str(noms_candidatures[cible])
    annee_cible, _, code = cible.partition("/")
    if code in prix:
        return f"{annee_cible}, {prix[code]}"
    return cible


def nom_jure(identifiant: str) -> str:
    nom = noms.get(identifiant)
    return f"{nom} ({identifiant})" if nom else identifiant


tardives = jury_q.corrections_after_scoring(annee)
if not tardives.is_empty():
    tous_noms, _ = corrections_q.names(annee)
    communes = jury_q.commune_names(
        tardives.filter(pl.col("nature") == "territoire")["valeur"].unique().to_list()
    )
    par_correction = tardives.group_by("correction_id", maintain_order=True).agg(
        pl.first("candidature_id", "nature", "categorie", "valeur", "motif", "cree_le"),
        pl.col("jure").unique(maintain_order=True),
        (pl.col("statut") == "soumise").sum().alias("envoyees"),
    )
    st.warning(
        f"{plural(par_correction.height, 'correction')} de l'organisateur "
        f"{agree(par_correction.height, 'faite')} après le début de la notation : les notes "
        "envoyées sont gardées ; prévenez les jurés concernés et rouvrez une note si le "
        "juré le demande.",
        icon=":material/warning:",
    )
    plain.table(
        pl.DataFrame(
            {
                "Candidature": [tous_noms.get(c, c) for c in par_correction["candidature_id"]],
                "Correction": [
                    corrected.describe(r, prix, tous_noms, communes)
                    for r in par_correction.iter_rows(named=True)
                ],
                "Motif": par_correction["motif"],
                "Le": [moment_text(m) for m in par_correction["cree_le"]],
                "Jurés concernés": [
                    ", ".join(nom_jure(j) for j in jures_) for jures_ in par_correction["jure"]
                ],
                "Notes envoyées gardées": [format_integer(n) for n in par_correction["envoyees"]],
            }
        )
    )

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
                "Prix": [prix[c.code] for c in edition.categories],
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
            categorie = st.selectbox(
                "Prix", list(prix), format_func=prix.__getitem__, placeholder=CHOISIR
            )
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
                    f"{plural(ajoutes, 'juré')} {agree(ajoutes, 'affecté')} au prix "
                    f"« {prix[categorie]} » (les autres l'étaient déjà)."
                )

with conflits_tab:
    st.caption(
        "Un conflit déclaré par un juré le récuse tout de suite ; une suggestion ne récuse "
        "personne tant qu'elle n'est pas confirmée. Les règles de suggestion (même "
        "structure, même département…) se règlent dans la configuration du jury."
    )
    if st.button("Calculer les suggestions", icon=":material/manage_search:"):
        suggestions = conflits.suggest_conflicts(jures, candidatures, jury_q.rules().conflits)
        nouvelles = conflits.record_suggestions(jury_q.store(), admin, suggestions)
        fait(
            f"{plural(suggestions.height, 'conflit')} {agree(suggestions.height, 'probable')} "
            f"{agree(suggestions.height, 'trouvé')}, "
            f"dont {plural(nouvelles, 'nouveau', 'nouveaux')} à examiner."
        )
    liste = conflits.conflicts(con, annee)
    if liste.is_empty():
        st.info("Aucun conflit d'intérêts signalé pour cette édition.")
    else:
        st.dataframe(
            pl.DataFrame(
                {
                    "Juré": [nom_jure(j) for j in liste["jure"]],
                    "Candidature": [nom_candidature(c) for c in liste["candidature_id"]],
                    "Origine": [ConflictOrigin.label_of(o) for o in liste["origine"]],
                    "Motif": liste["motif"].fill_null(""),
                    "Statut": [ConflictStatus.label_of(s) for s in liste["statut"]],
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
                    f"{nom_jure(p.split('|')[0])} · {nom_candidature(p.split('|')[1])} "
                    f"({ConflictStatus.label_of(statuts[p])})"
                ),
                placeholder=CHOISIR,
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
                f"Récusation de {nom_jure(jure)} confirmée pour {nom_candidature(candidature_id)}."
                if confirmer
                else f"Conflit de {nom_jure(jure)} écarté pour {nom_candidature(candidature_id)}."
            )

with notes_tab:
    envoyees = scoring.submitted_scores(con, annee)
    if envoyees.is_empty():
        st.info("Aucune note envoyée pour cette édition.")
    else:
        st.dataframe(
            pl.DataFrame(
                {
                    "Prix": [prix.get(c, c) for c in envoyees["categorie_code"]],
                    "Candidature": [nom_candidature(c) for c in envoyees["candidature_id"]],
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
                    (
                        prix.get(k.split("|")[0], k.split("|")[0]),
                        nom_candidature(k.split("|")[1]),
                        nom_jure(k.split("|")[2]),
                    )
                ),
                placeholder=CHOISIR,
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
                fait(
                    f"Note de {nom_jure(jure)} sur {nom_candidature(candidature_id)} rouverte : "
                    "le juré peut la modifier."
                )

with journal_tab:
    filtres = st.columns(2)
    action = filtres[0].selectbox(
        "Action",
        list(AuditAction),
        index=None,
        format_func=lambda a: a.label,
        placeholder="Toutes",
    )
    acteur = filtres[1].text_input("Acteur (identifiant exact)").strip() or None
    lignes = audit.journal(con, action=action, acteur=acteur)
    st.caption(f"{plural(lignes.height, 'ligne')}, les plus récentes d'abord (500 au plus).")
    st.dataframe(
        pl.DataFrame(
            {
                "Horodatage": [moment_text(m) for m in lignes["horodatage"]],
                "Acteur": [nom_jure(a) for a in lignes["acteur"]],
                "Action": [AuditAction.label_of(a, a) for a in lignes["action"]],
                "Cible": [cible_lisible(c) for c in lignes["cible"]],
                "Détail": lignes["detail"].fill_null(""),
            }
        ),
        hide_index=True,
    )
