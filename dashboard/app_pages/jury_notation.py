"""Mes notations : la file du juré, la fiche candidature à côté de la grille de notation.

Tout texte saisi par une candidature ou par un juré est affiché comme texte brut
(st.text, tableaux), jamais comme markdown ou HTML. Les règles (affectation, récusation,
verrouillage, visibilité des autres notes) sont celles de ``dashboard.jury`` :
cette page ne fait qu'appeler ses fonctions.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import auth, plain
from dashboard.filters import CHOISIR
from dashboard.jury import conflicts, corrected, scoring
from dashboard.jury.states import QueueState
from dashboard.queries import fiche as fiche_q
from dashboard.queries import jury as jury_q
from etl.editions.model import Category, Edition
from etl.french import format_datetime, format_decimal, format_percent
from etl.semantic import indicators
from etl.semantic.naming import candidature_label

CLE_EDITION = "jury_edition"
CLE_COURANTE = "jury_candidature"
CLE_MESSAGE = "jury_message"
CLE_ALLER = "jury_aller"
"""Where to go at the next run (set after a write, before the chooser is drawn)."""
CLE_FILE = "jury_file"
CLE_FICHE = "candidature"
"""The « Fiche candidature » page's chooser (``app_pages/fiche.py``)."""
PROCHAINE = "prochaine"
"""CLE_ALLER value: the next candidature not sent yet."""


def cle(categorie: str, candidature_id: str) -> str:
    return f"{categorie}|{candidature_id}"


def decoupe(valeur: str) -> tuple[str, str]:
    categorie, candidature_id = valeur.split("|", 1)
    return categorie, candidature_id


def aller(valeur: str) -> None:
    st.session_state[CLE_COURANTE] = valeur


def aller_au_prochain_tour(valeur: str) -> None:
    """Move to ``valeur`` (or :data:`PROCHAINE`) at the next run: the chooser is already
    drawn in this one, so its value cannot change now."""
    st.session_state[CLE_ALLER] = valeur


def message(kind: str, texte: str) -> None:
    """A message shown once, after the rerun that follows a write."""
    st.session_state[CLE_MESSAGE] = (kind, texte)


def note_fr(valeur: float | None, echelle: tuple[int, int]) -> str:
    if valeur is None:
        return indicators.NON_RENSEIGNE
    return f"{format_decimal(valeur, 2)} / {echelle[1]}"


def fiche_candidature(candidature_id: str, item: dict[str, Any], category: Category) -> None:
    """The candidature sheet: plain text only."""
    fiche = fiche_q.fiche(candidature_id)
    st.subheader("Candidature")
    st.caption(f"Prix {category.numero} — {category.libelle} · identifiant {candidature_id}")
    if item.get("cas_limite"):
        st.warning("Cas limite d'éligibilité : le jury tranche.", icon=":material/help:")
    if fiche is None:
        st.info("Cette candidature n'est plus dans l'entrepôt.")
        return
    c = fiche.candidature
    with st.container(border=True):
        st.caption("Structure")
        st.text(c["structure_nom"] or indicators.NON_RENSEIGNE)
        st.caption("Type de structure")
        st.text(c["structure_type_libelle"] or indicators.NON_RENSEIGNE)
        st.caption("Territoire")
        lieux = [c["commune_nom"], c["departement_nom"], c["region_nom"]]
        st.text(" · ".join(str(x) for x in lieux if x) or indicators.NON_RENSEIGNE)
    st.caption("Intitulé du projet (tel que saisi)")
    st.text(c["projet_titre"] or indicators.NON_RENSEIGNE)
    st.caption("Description (telle que saisie)")
    with st.container(border=True, height=260):
        st.text(c["projet_description"] or indicators.NON_RENSEIGNE)
    codes = ("heures_insertion", "nb_participants", "heures_par_participant", "taux_realisation")
    chiffres = [indicators.PAR_CODE[code] for code in codes]
    st.caption("Chiffres clés")
    plain.table(
        pl.DataFrame(
            {
                "Indicateur": [ind.libelle for ind in chiffres],
                "Valeur": [indicators.format_valeur(ind, c[ind.code]) for ind in chiffres],
            }
        ),
        hide_header=True,
    )
    if st.button(
        "Ouvrir la fiche complète de la candidature",
        icon=":material/description:",
        type="tertiary",
        key=f"fiche-{candidature_id}",
    ):
        # the Fiche's chooser (bound to the URL's « candidature ») opens on this one
        st.session_state[CLE_FICHE] = candidature_id
        st.switch_page("app_pages/fiche.py")


def etat_verrouille(
    annee: int, category: Category, candidature_id: str, jure: str, abstention: bool
) -> None:
    envoyees = scoring.submitted_scores(jury_q.cursor(), annee, category.code).filter(
        (pl.col("candidature_id") == candidature_id) & (pl.col("jure") == jure)
    )
    moment = envoyees["soumise_le"][0] if envoyees.height else None
    note = envoyees["note"][0] if envoyees.height else None
    quand = format_datetime(moment) if moment is not None else "—"
    echelle = (category.criteres[0].note_min, category.criteres[0].note_max)
    quoi = "Abstention envoyée" if abstention else f"Note {note_fr(note, echelle)} envoyée"
    st.success(
        f"{quoi} le {quand} — verrouillée. Seul un administrateur peut la rouvrir.",
        icon=":material/lock:",
    )


def grille(
    edition: Edition,
    category: Category,
    candidature_id: str,
    jure: str,
    compte_nom: str,
    nom: str,
    ensuite: str | None,
) -> None:
    """The scoring form, prefilled from the store; disabled once the score is sent."""
    con = jury_q.cursor()
    statut, saisie = scoring.score_detail(con, jure, edition.annee, category.code, candidature_id)
    verrouillee = statut == "soumise"
    echelle = (category.criteres[0].note_min, category.criteres[0].note_max)
    st.subheader("Ma note")
    if verrouillee:
        etat_verrouille(edition.annee, category, candidature_id, jure, saisie.abstention)
    elif statut == "brouillon":
        st.info("Brouillon enregistré : pas encore envoyé.", icon=":material/edit_note:")
    st.caption(
        f"Barème : note entière de {echelle[0]} à {echelle[1]} par critère ; la note est la "
        "moyenne des critères pondérée par leurs poids."
    )
    # the state is part of the keys: a sent (or reopened) score gets fresh, prefilled widgets
    prefixe = f"jury-{edition.annee}-{category.code}-{candidature_id}-{statut or 'nouvelle'}"
    with st.form(f"{prefixe}-form", border=True, enter_to_submit=False):
        valeurs: dict[str, int | None] = {}
        commentaires: dict[str, str] = {}
        choix = list(range(echelle[0], echelle[1] + 1))
        for critere in category.criteres:
            actuelle = saisie.valeurs.get(critere.code)
            valeurs[critere.code] = st.radio(
                f"{critere.libelle} — poids {format_percent(critere.poids)}",
                choix,
                index=choix.index(actuelle) if actuelle in choix else None,
                horizontal=True,
                key=f"{prefixe}-{critere.code}",
                disabled=verrouillee,
            )
            commentaires[critere.code] = st.text_input(
                f"Commentaire : {critere.libelle}",
                value=saisie.commentaires.get(critere.code, ""),
                key=f"{prefixe}-{critere.code}-commentaire",
                disabled=verrouillee,
                max_chars=2000,
            )
        commentaire = st.text_area(
            "Commentaire général",
            value=saisie.commentaire or "",
            key=f"{prefixe}-commentaire",
            disabled=verrouillee,
            max_chars=5000,
        )
        abstention = st.checkbox(
            "Je m'abstiens",
            value=saisie.abstention,
            key=f"{prefixe}-abstention",
            disabled=verrouillee,
            help="Enregistre une abstention : aucune note n'est comptée pour vous.",
        )
        brouillon = st.form_submit_button(
            "Enregistrer le brouillon", disabled=verrouillee, icon=":material/save:"
        )
        envoi = st.form_submit_button(
            "Envoyer la note (définitif)",
            type="primary",
            disabled=verrouillee,
            icon=":material/send:",
        )
    if not verrouillee:
        ponderee = scoring.weighted_score(category, valeurs)
        st.caption(f"Note pondérée actuelle : {note_fr(ponderee, echelle)}")
    if (brouillon or envoi) and not verrouillee:
        entree = scoring.ScoreInput(
            valeurs={} if abstention else valeurs,
            commentaires={k: v.strip() for k, v in commentaires.items() if v.strip()},
            commentaire=commentaire.strip() or None,
            abstention=abstention,
        )
        try:
            scoring.save_score(
                jury_q.store(), jure, edition.annee, category, candidature_id, entree, envoi
            )
        except scoring.ScoreLocked:
            st.error("Cette note est déjà envoyée : seul un administrateur peut la rouvrir.")
        except scoring.ScoringRefused as err:
            st.error(str(err))
        else:
            if envoi:  # on to the next candidature still to score
                aller_au_prochain_tour(PROCHAINE)
            message(
                "success",
                "Note envoyée : elle est verrouillée. Voici la candidature suivante à noter."
                if envoi
                else "Brouillon enregistré (vous pouvez le modifier).",
            )
            st.rerun()

    st.subheader("Notes des autres jurés")
    if scoring.can_see_others(con, jure, edition.annee, category.code, candidature_id):
        autres = scoring.others_scores(con, jure, edition.annee, category.code, candidature_id)
        if autres.is_empty():
            st.caption("Aucun autre juré n'a encore envoyé sa note.")
        else:
            noms = {a.identifiant: a.nom for a in jury_q.jury_accounts()}
            st.dataframe(
                pl.DataFrame(
                    {
                        "Juré": [noms.get(j, j) for j in autres["jure"]],
                        "Note": [
                            "abstention" if a else note_fr(n, echelle)
                            for n, a in zip(autres["note"], autres["abstention"], strict=True)
                        ],
                        "Commentaire général": autres["commentaire"].fill_null(""),
                    }
                ),
                hide_index=True,
            )
    else:
        st.caption("Les notes des autres jurés s'affichent après l'envoi de la vôtre.")

    with st.expander("Déclarer un conflit d'intérêts", icon=":material/gavel:"):
        st.caption(
            "Vous êtes récusé·e tout de suite : la candidature quitte votre file et votre "
            "note éventuelle ne compte plus. L'administrateur confirme ou écarte ensuite."
        )
        with st.form(f"{prefixe}-conflit", border=False, enter_to_submit=False):
            motif = st.text_input("Raison du conflit", max_chars=500)
            declarer = st.form_submit_button("Déclarer le conflit")
        if declarer:
            try:
                conflicts.declare_conflict(
                    jury_q.store(), jure, edition.annee, candidature_id, motif
                )
            except ValueError as err:
                st.error(str(err))
            else:
                # keep the juror's place: the item after this one (it left the queue)
                aller_au_prochain_tour(ensuite or PROCHAINE)
                message(
                    "info",
                    f"Conflit d'intérêts déclaré par {plain.escape(compte_nom)} : "
                    f"« {plain.escape(nom)} » a quitté votre file.",
                )
                st.rerun()


st.title("Mes notations")
compte = auth.current_account()
assert compte is not None  # the app frame signs in before any page runs
jure = compte.identifiant

annees = jury_q.assigned_editions(jure)
if not annees:
    st.info(
        "Vous n'êtes affecté·e à aucune catégorie pour l'instant : l'administrateur du jury "
        "vous affectera aux catégories à noter."
    )
    st.stop()
if st.session_state.get(CLE_EDITION) not in annees:
    st.session_state[CLE_EDITION] = annees[0]
annee = st.selectbox("Édition à noter", annees, key=CLE_EDITION, placeholder=CHOISIR)
edition = jury_q.edition(annee)

file = jury_q.queue(jure, annee)
if file.is_empty():
    st.info("Votre file est vide pour cette édition : aucune candidature à noter.")
    st.stop()

flash = st.session_state.pop(CLE_MESSAGE, None)
if flash is not None:
    kind, texte = flash
    (st.success if kind == "success" else st.info)(texte)

tardives = jury_q.corrections_after_scoring(annee, jure)
corrigees_apres = set(tardives["candidature_id"])
avancement = scoring.progress(file)
st.progress(
    avancement.faites / avancement.total if avancement.total else 0.0,
    text=f"Notes envoyées : {avancement.libelle}",
)

cles = [cle(c, i) for c, i in zip(file["categorie_code"], file["candidature_id"], strict=True)]
voulue = st.session_state.pop(CLE_ALLER, None)
if voulue == PROCHAINE or (voulue is None and st.session_state.get(CLE_COURANTE) not in cles):
    prochaine = scoring.next_to_score(file)
    st.session_state[CLE_COURANTE] = cle(*prochaine) if prochaine else cles[0]
elif voulue in cles:
    st.session_state[CLE_COURANTE] = voulue
lignes = {cle(r["categorie_code"], r["candidature_id"]): r for r in file.iter_rows(named=True)}
prix = {c.code: f"Prix {c.numero}" for c in edition.categories}


def libelle(valeur: str) -> str:
    r = lignes[valeur]
    etat_texte = QueueState.label_of(r["etat"]).lower()
    return (
        f"{r['position']}. {prix.get(r['categorie_code'], r['categorie_code'])} · "
        f"{candidature_label(r['structure_nom'], r['projet_titre'])} ({etat_texte})"
    )


def choisir_dans_la_file() -> None:
    """A click on a row of the queue opens that candidature."""
    rows = st.session_state[CLE_FILE].selection.rows
    if rows:
        st.session_state[CLE_COURANTE] = cles[rows[0]]


with st.expander(f"Ma file ({avancement.libelle})", icon=":material/list:"):
    st.caption("Cliquez sur une ligne pour ouvrir la candidature.")
    st.dataframe(
        pl.DataFrame(
            {
                "N°": file["position"],
                "État": [QueueState.label_of(e, e) for e in file["etat"]],
                "Prix": [prix.get(c, c) for c in file["categorie_code"]],
                "Candidature": [
                    candidature_label(s, t)
                    for s, t in zip(file["structure_nom"], file["projet_titre"], strict=True)
                ],
                "Cas limite": ["oui" if v else "" for v in file["cas_limite"]],
                "Corrigée depuis ma note": [
                    "oui" if c in corrigees_apres else "" for c in file["candidature_id"]
                ],
            }
        ),
        hide_index=True,
        on_select=choisir_dans_la_file,
        selection_mode="single-row",
        key=CLE_FILE,
        column_config={"Candidature": st.column_config.TextColumn(width="large")},
    )

courante = st.selectbox(
    "Candidature", cles, format_func=libelle, key=CLE_COURANTE, placeholder=CHOISIR
)
categorie, candidature_id = decoupe(courante)
precedente, suivante = scoring.neighbours(file, categorie, candidature_id)
boutons = st.columns([1, 1, 4])
boutons[0].button(
    "Précédent",
    icon=":material/arrow_back:",
    disabled=precedente is None,
    on_click=aller,
    args=(cle(*precedente) if precedente else courante,),
)
boutons[1].button(
    "Suivant",
    icon=":material/arrow_forward:",
    disabled=suivante is None,
    on_click=aller,
    args=(cle(*suivante) if suivante else courante,),
)

etat = lignes[courante]["etat"]
boutons[2].caption(f"État de ma note : {QueueState.label_of(etat, etat).lower()}")

category = edition.category(categorie)
for correction in tardives.filter(pl.col("candidature_id") == candidature_id).iter_rows(named=True):
    communes = jury_q.commune_names([correction["valeur"]] if correction["valeur"] else [])
    prix_noms = {c.code: f"Prix {c.numero}" for c in edition.categories}
    quoi = corrected.describe(correction, prix_noms, {}, communes)
    st.warning(
        f"L'organisateur a corrigé cette candidature le "
        f"{format_datetime(correction['cree_le'])}, après le début de votre notation "
        f"({plain.escape(quoi)} ; motif : {plain.escape(correction['motif'])}). Votre note "
        "est gardée telle quelle ; relisez la fiche et, si vous souhaitez la changer, "
        "demandez à l'administrateur du jury de la rouvrir.",
        icon=":material/warning:",
    )
gauche, droite = st.columns([1, 1], gap="large")
with gauche:
    fiche_candidature(candidature_id, lignes[courante], category)
with droite:
    grille(
        edition,
        category,
        candidature_id,
        jure,
        compte.nom,
        candidature_label(lignes[courante]["structure_nom"], lignes[courante]["projet_titre"]),
        cle(*suivante) if suivante else (cle(*precedente) if precedente else None),
    )
