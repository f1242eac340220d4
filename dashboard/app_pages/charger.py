"""Charger un export (administration) : un export Google Forms devient des candidatures.

Déposer le fichier, vérifier la correspondance proposée (tableau modifiable), lancer un
essai à blanc (tout ce qui se passerait, sans rien écrire), puis charger : le même
chargement atomique que ``trophees load`` (``etl.warehouse``). Le fichier est gardé tel
quel dans ``data/raw/<édition>/`` avec sa correspondance ; le dépôt et le chargement sont
inscrits au journal. Les textes des candidats s'affichent en tableaux (texte brut).
"""

from __future__ import annotations

import hashlib
import shutil
import threading

import polars as pl
import streamlit as st

from dashboard import auth, db, intake, queries, uploads
from dashboard.jury import audit
from etl import editions, files, mapping, reading, settings, warehouse
from etl.french import format_integer, format_size_mb, plural
from etl.mapping import MappingFile, Proposal
from etl.rules import ChargementImpossible

IGNORER = "— colonne ignorée —"
SECOND_MIN = 0.3
"""A runner-up less likely than this is not worth showing."""
INCONNUE = "— laisser inconnue —"
CLE_PLAN = "charger_essai"
CLE_MESSAGE = "charger_message"
CLE_JOURNAL = "charger_journal"
REFUS = (
    reading.ExportRefuse,
    ChargementImpossible,
    editions.EditionConfigError,
    files.Busy,
    FileNotFoundError,
)


def journal(action: str, cible: str, detail: str) -> None:
    """One line in the deliberation store's audit log; a store held by a console command
    is said, never hidden."""
    compte = auth.current_account()
    acteur = compte.identifiant if compte else "inconnu"
    try:
        db.store().write(lambda con: audit.record(con, acteur, action, cible, detail))
    except Exception:  # the store is the app's; a console command may hold it a moment
        st.warning(
            "Le journal n'a pas pu être écrit (base des délibérations occupée) : "
            f"{action} de « {cible} » non journalisé.",
            icon=":material/warning:",
        )


def field_label(champ: editions.FormField) -> str:
    return f"{champ.nom} — {champ.libelle}"


def confidence_text(value: float, champ: str | None) -> str:
    return "—" if champ is None else f"{value:.2f}".replace(".", ",")


@st.cache_resource(show_spinner=False)
def _preparation() -> threading.Thread:
    """Once per server: the reference and the territory index built in the background
    while the organiser picks a file, so the first dry run does not wait for them."""
    thread = threading.Thread(target=warehouse.warm_up, name="prechauffage", daemon=True)
    thread.start()
    return thread


_preparation()
st.title("Charger un export")
st.caption(
    "Pour l'organisateur : l'export des réponses du formulaire (Google Forms, CSV ou XLSX) "
    "devient des candidatures. Rien n'est écrit avant « Charger » ; l'essai à blanc montre "
    "tout ce qui se passerait. Mode d'emploi : docs/chargement.md."
)
# kept until the next dry run: the page redraws once more after a load (the mapping table
# takes the saved mapping), and the message must not vanish under the organiser's eyes
flash = st.session_state.get(CLE_MESSAGE)
if flash:
    st.success(flash, icon=":material/check:")
    st.page_link("app_pages/vue_ensemble.py", label="Voir la Vue d'ensemble", icon="📊")

reglages = settings.app_settings().chargement
max_bytes = reglages.taille_max_mo * reading.MO
configurees = {e.annee: e for e in queries.configured_editions()}
depot = uploads.file_chooser(
    "Export du formulaire (CSV ou XLSX)",
    types=["csv", "xlsx", "tsv", "txt"],
    key="charger_fichier",
    max_mb=reglages.taille_max_mo,
    help=f"{reglages.taille_max_mo} Mo au plus ; le fichier est gardé tel quel.",
)
with st.expander("J'ai déjà un fichier de correspondance (facultatif)"):
    depot_correspondance = uploads.file_chooser(
        "Fichier de correspondance (.toml)",
        types=["toml"],
        key="charger_correspondance",
        max_mb=reglages.taille_max_mo,
    )
if depot is None:
    st.info("Déposez un export pour voir la correspondance proposée.", icon=":material/upload:")
    st.stop()

contenu = depot.getvalue()
upload = intake.stage(depot.name, contenu)
deja = st.session_state.setdefault(CLE_JOURNAL, set())
if ("televersement", upload.sha256) not in deja:
    deja.add(("televersement", upload.sha256))
    journal(
        "televersement",
        upload.nom,
        f"{format_size_mb(upload.taille)}, SHA-256 {upload.sha256[:12]}…",
    )
try:
    apercu = reading.read_export(upload.path, max_bytes=max_bytes, lignes_max=200)
except REFUS as err:
    st.error(str(err), icon=":material/error:")
    st.stop()
probable = mapping.likely_edition(apercu, configurees)
annees = list(configurees)
annee = st.selectbox(
    "Édition",
    annees,
    index=annees.index(probable) if probable in annees else 0,
    format_func=lambda a: f"{a} — {configurees[a].nom}",
    key=f"charger_edition_{upload.sha256[:12]}",
    help="Proposée d'après les dates des réponses de l'export.",
)
edition = configurees[annee]
if probable is not None and probable != annee:
    st.warning(
        f"Les réponses de ce fichier datent de l'édition {probable} : le chargement dans "
        f"l'édition {annee} sera refusé.",
        icon=":material/warning:",
    )

# --- The proposed mapping --------------------------------------------------------------
try:
    signature = mapping.header_signature(list(apercu.frame.columns))
    reprise: MappingFile | None = None
    origine = None
    if depot_correspondance is not None:
        fourni = upload.path.with_name(intake.safe_name(depot_correspondance.name))
        files.write_atomic(fourni, depot_correspondance.getvalue())
        reprise = mapping.read_mapping(fourni, edition)
        origine = f"le fichier de correspondance déposé « {fourni.name} »"
    elif (enregistree := intake.saved_mapping(annee, signature)) is not None:
        reprise = mapping.read_mapping(enregistree, edition)
        origine = (
            "la correspondance enregistrée avec un export aux mêmes questions "
            f"({enregistree.parent.name})"
        )
    base = edition if reprise is None else mapping.apply_mapping(edition.source_fichier, reprise)
    proposition: Proposal = mapping.propose_file(upload.path, base, max_bytes=max_bytes)
except REFUS as err:
    st.error(str(err), icon=":material/error:")
    st.stop()

st.header("Correspondance des colonnes")
if origine:
    st.caption(f"Reprise de {origine} ; modifiable ci-dessous.")
st.caption(
    "Une ligne par colonne de l'export : le champ proposé, la confiance (1 : intitulé "
    "connu) et le deuxième choix. Changez un champ dans la liste ; « colonne ignorée » "
    "laisse la colonne de côté."
)
options = [IGNORER, *[field_label(c) for c in edition.champs]]
par_libelle = {field_label(c): c.nom for c in edition.champs}
tableau = pl.DataFrame(
    {
        "Colonne": [c.colonne for c in proposition.colonnes],
        "Champ": [
            field_label(edition.field(c.champ)) if c.champ else IGNORER
            for c in proposition.colonnes
        ],
        "Confiance": [confidence_text(c.confiance, c.champ) for c in proposition.colonnes],
        "Deuxième choix": [
            f"{c.second.champ} ({confidence_text(c.second.confiance, c.second.champ)})"
            if c.second and c.second.confiance >= SECOND_MIN
            else ""
            for c in proposition.colonnes
        ],
        "Exemples de réponses": [" · ".join(c.exemples) for c in proposition.colonnes],
    }
)
edite = st.data_editor(
    tableau.to_pandas(),
    key=f"charger_colonnes_{upload.sha256[:12]}_{annee}",
    hide_index=True,
    width="stretch",
    disabled=["Colonne", "Exemples de réponses", "Confiance", "Deuxième choix"],
    column_config={
        "Colonne": st.column_config.TextColumn(width="large"),
        "Champ": st.column_config.SelectboxColumn(options=options, required=True, width="large"),
        "Confiance": st.column_config.TextColumn(width="small"),
    },
)
colonnes = {
    str(row["Colonne"]): par_libelle.get(str(row["Champ"]), "") for row in edite.to_dict("records")
}

reponses: dict[tuple[str, str], str | None] = {}
inconnues = proposition.reponses_inconnues
if inconnues:
    st.subheader("Réponses inconnues des questions à choix")
    st.caption(
        "Ces réponses ne figurent pas dans les choix prévus : rattachez-les à un choix, ou "
        "laissez-les inconnues (la valeur sera écartée, et la ligne si la question est "
        "obligatoire)."
    )
    for champ in dict.fromkeys(u.champ for u in inconnues):
        vocabulaire = edition.vocabulary(edition.field(champ).vocabulaire or "")
        choix = {f"{v.code} — {v.libelle}": v.code for v in vocabulaire.valeurs}
        liste = [u for u in inconnues if u.champ == champ]
        table = pl.DataFrame(
            {
                "Réponse": [u.reponse for u in liste],
                "Lignes": [u.lignes for u in liste],
                "Rattacher à": [
                    next((k for k, v in choix.items() if v == u.proche), INCONNUE)
                    if u.score >= mapping.AUTO_ANSWER
                    else INCONNUE
                    for u in liste
                ],
                "Le plus proche": [
                    f"{u.proche} ({confidence_text(u.score, u.proche)})" for u in liste
                ],
            }
        )
        st.caption(f"Question « {field_label(edition.field(champ))} »")
        rattachees = st.data_editor(
            table.to_pandas(),
            key=f"charger_reponses_{champ}_{upload.sha256[:12]}",
            hide_index=True,
            width="stretch",
            disabled=["Réponse", "Lignes", "Le plus proche"],
            column_config={
                "Rattacher à": st.column_config.SelectboxColumn(
                    options=[INCONNUE, *choix], required=True
                )
            },
        )
        for row in rattachees.to_dict("records"):
            reponses[(champ, str(row["Réponse"]))] = choix.get(str(row["Rattacher à"]))

doubles = [n for n in set(colonnes.values()) if n and list(colonnes.values()).count(n) > 1]
if doubles:
    st.error(
        "Un champ ne reçoit qu'une colonne : "
        + ", ".join(f"« {n} »" for n in sorted(doubles))
        + " choisi plusieurs fois.",
        icon=":material/error:",
    )
    st.stop()
manquants = [c.nom for c in base.champs if c.obligatoire and c.nom not in colonnes.values()]
if manquants:
    st.warning(
        f"Sans colonne, {plural(len(manquants), 'champ obligatoire')} : "
        + ", ".join(manquants)
        + ". Le chargement sera refusé.",
        icon=":material/warning:",
    )

texte = mapping.mapping_file_text(
    proposition, edition, colonnes=colonnes, reponses=reponses, reprise=reprise
)
chemin = upload.path.with_name(upload.nom + intake.MAPPING_SUFFIX)
files.write_atomic(chemin, texte)
with st.expander("Voir le fichier de correspondance"):
    st.code(texte, language="toml")
    st.download_button(
        "Télécharger la correspondance",
        texte.encode("utf-8"),
        file_name=upload.nom + intake.MAPPING_SUFFIX,
        mime="application/toml",
        on_click="ignore",
    )

remplacer = False
if queries.demo_data():
    st.warning(
        "L'entrepôt contient les données de démonstration : un export réel ne s'y mêle pas. "
        "En le chargeant, les données fictives sont retirées (et les comptes de démonstration "
        "refusés), en un seul remplacement.",
        icon=":material/science:",
    )
    remplacer = st.checkbox("Remplacer les données de démonstration", key="charger_remplacer")

cle = hashlib.sha256(f"{upload.sha256}|{annee}|{remplacer}|{texte}".encode()).hexdigest()
gauche, droite = st.columns(2)
if gauche.button("Essai à blanc", icon=":material/science:", width="stretch"):
    st.session_state.pop(CLE_MESSAGE, None)
    try:
        with st.spinner("Essai à blanc : lecture, règles, territoires…"):
            nouveau = warehouse.plan_load(
                [upload.path], annee, mapping=chemin, max_bytes=max_bytes, replace_demo=remplacer
            )
        st.session_state[CLE_PLAN] = (cle, nouveau)
    except REFUS as err:
        st.session_state.pop(CLE_PLAN, None)
        st.error(f"Chargement impossible : {err}", icon=":material/error:")

essai = st.session_state.get(CLE_PLAN)
plan: warehouse.LoadPlan | None = essai[1] if essai and essai[0] == cle else None
if droite.button(
    "Charger",
    type="primary",
    icon=":material/upload:",
    disabled=plan is None,
    help="Lancez d'abord l'essai à blanc avec cette correspondance.",
    width="stretch",
):
    garde = intake.keep(upload, annee, texte)
    try:
        with st.spinner("Chargement : le nouvel entrepôt remplace l'ancien d'un seul coup…"):
            rapports = warehouse.load_files(
                [garde],
                annee,
                mapping=intake.mapping_path_beside(garde),
                max_bytes=max_bytes,
                replace_demo=remplacer,
            )
    except REFUS as err:
        shutil.rmtree(garde.parent, ignore_errors=True)
        st.error(
            f"Chargement impossible : {err} L'entrepôt précédent est inchangé.",
            icon=":material/error:",
        )
        st.stop()
    resume = " ".join(r.summary_fr() for r in rapports)
    journal("chargement", f"{annee}/{upload.nom}", resume)
    st.session_state.pop(CLE_PLAN, None)
    st.session_state[CLE_MESSAGE] = f"Chargé. {resume}"
    st.rerun()

if plan is None:
    st.stop()

# --- The dry run -------------------------------------------------------------------------
st.header("Essai à blanc")
rapport = next((r for r in plan.reports if r.fichier == upload.nom), None)
if rapport is None:
    st.stop()
if rapport.inchange:
    st.info(rapport.summary_fr(), icon=":material/info:")
    st.stop()
st.caption(
    "Ce que le chargement ferait, rien n'étant encore écrit : "
    + rapport.summary_fr()
    + (
        f" Les données de démonstration ({plural(len(plan.retires), 'fichier')}) seraient retirées."
        if plan.retires
        else ""
    )
)
colonnes_chiffres = st.columns(6)
for colonne, (libelle, valeur) in zip(
    colonnes_chiffres,
    [
        ("Lignes lues", rapport.lignes_lues),
        ("Candidatures chargées", rapport.lignes_chargees),
        ("Lignes écartées", rapport.lignes_rejetees),
        ("Doublons et versions", rapport.doublons),
        ("Erreurs", rapport.erreurs),
        ("Avertissements", rapport.avertissements),
    ],
    strict=True,
):
    colonne.metric(libelle, format_integer(valeur))

problemes = intake.plan_problems(plan)
st.subheader("Problèmes relevés")
if problemes.is_empty():
    st.success("Aucun problème relevé.", icon=":material/check:")
else:
    st.dataframe(
        problemes.to_arrow(),
        hide_index=True,
        column_config={"Message": st.column_config.TextColumn(width="large")},
    )
territoires = intake.plan_territories(plan)
st.subheader("Territoires à vérifier")
if territoires.is_empty():
    st.success("Tous les territoires sont résolus sans réserve.", icon=":material/check:")
else:
    st.dataframe(territoires.to_arrow(), hide_index=True)
verdicts = intake.plan_verdicts(plan, edition)
st.subheader("Éligibilité")
if not verdicts.is_empty():
    st.dataframe(verdicts.to_arrow(), hide_index=True)
