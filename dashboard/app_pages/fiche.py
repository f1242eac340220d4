"""Fiche candidature : une candidature, son territoire, ses catégories, ses chiffres.

Tout texte saisi par la candidature est affiché comme texte brut (st.text, tableaux) ;
les contacts ne sont lus que pour les rôles autorisés (``queries.contacts``), sur demande,
et chaque consultation est inscrite au journal.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import auth, filters, maps, plain
from dashboard.charts import comparison as charts
from dashboard.charts import comparison_tables as tableaux
from dashboard.charts.locale import plotly_config
from dashboard.filters import CHOISIR
from dashboard.queries import comparer
from dashboard.queries import contacts as contacts_q
from dashboard.queries import fiche as fiche_q
from etl.french import format_datetime, format_decimal, format_integer
from etl.semantic import indicators, national

CLE_CANDIDATURE = "candidature"
"""Session-state key of this page, also the URL query parameter."""

STATUTS_TERRITOIRE = {
    "exact": "résolu sans ambiguïté",
    "avertissement": "résolu, avec un avertissement",
    "ambigu": "ambigu : plusieurs territoires possibles, aucun retenu",
    "inconnu": "inconnu : aucun territoire trouvé",
}


def oui_non(valeur: bool | None) -> str:
    return indicators.NON_RENSEIGNE if valeur is None else ("oui" if valeur else "non")


def habitants(n: int | None) -> str:
    return indicators.NON_RENSEIGNE if n is None else f"{format_integer(n)} hab."


def densite(d: float | None) -> str:
    return indicators.NON_RENSEIGNE if d is None else f"{format_decimal(d, 1)} hab./km²"


def territoire(c: dict[str, Any]) -> pl.DataFrame:
    niveaux = [
        ("Commune", c["commune_nom"], c["commune_code"], c["commune_population"]),
        ("EPCI", c["epci_nom"], c["epci_siren"], c["epci_population"]),
        ("Département", c["departement_nom"], c["departement_code"], c["departement_population"]),
        ("Région", c["region_nom"], c["region_code"], c["region_population"]),
    ]
    densites = [c["commune_densite"], None, c["departement_densite"], c["region_densite"]]
    return pl.DataFrame(
        {
            "Niveau": [n[0] for n in niveaux],
            "Nom": [n[1] or indicators.NON_RENSEIGNE for n in niveaux],
            "Code": [n[2] or indicators.NON_RENSEIGNE for n in niveaux],
            "Population": [habitants(n[3]) for n in niveaux],
            "Densité": [densite(d) for d in densites],
        }
    )


st.title("Fiche candidature")
choix = fiche_q.options(filters.current())
if choix.height == 0:
    st.info("Aucune candidature ne correspond aux filtres : élargissez-les.")
    st.stop()
libelles = dict(zip(choix["candidature_id"], choix["libelle"], strict=True))
demandee = st.query_params.get(CLE_CANDIDATURE)
if demandee in libelles and st.session_state.get(CLE_CANDIDATURE) != demandee:
    # a link by identifier (the bound widget itself keeps the label in the URL)
    st.session_state[CLE_CANDIDATURE] = demandee
elif demandee and demandee not in libelles and demandee not in libelles.values():
    # a link to a sheet that is not offered: say why rather than show another one
    raison = (
        "elle ne correspond pas aux filtres du panneau latéral : élargissez-les"
        if demandee.rsplit(" · ", 1)[-1]
        in set(fiche_q.options(filters.Filters())["candidature_id"])
        else "elle n'est pas (ou plus) dans l'entrepôt"
    )
    st.warning(
        f"La candidature demandée ({plain.escape(demandee[:80])}) n'est pas affichée : {raison}.",
        icon=":material/link_off:",
    )
candidature_id = st.selectbox(
    "Candidature",
    list(libelles),
    format_func=libelles.__getitem__,
    key=CLE_CANDIDATURE,
    bind="query-params",
    placeholder=CHOISIR,
)
fiche = fiche_q.fiche(candidature_id) if candidature_id else None
if fiche is None:
    st.info("Cette candidature n'est plus dans l'entrepôt.")
    st.stop()
c = fiche.candidature
if c.get("corrige"):
    corrigees = fiche_q.corrections_fr(candidature_id, int(c["edition"]))
    if corrigees:
        st.info(
            "Données corrigées par l'organisateur :\n\n"
            + "\n".join(f"- {plain.escape(p)}" for p in corrigees),
            icon=":material/edit_note:",
        )

st.header("Structure")
st.text(c["structure_nom"] or indicators.NON_RENSEIGNE)
plain.table(
    pl.DataFrame(
        {
            "Information": [
                "Type de structure",
                "Adhérente à Alliance Villes Emploi",
                "Reconnue par une coordination régionale",
                "Compétence de guichet « clause sociale »",
                "Édition",
                "Déposée le",
                "Hors délai",
            ],
            "Valeur": [
                c["structure_type_libelle"] or indicators.NON_RENSEIGNE,
                oui_non(c["adherent_ave"]),
                oui_non(c["reconnue_coordination_regionale"]),
                oui_non(c["competence_guichet"]),
                str(c["edition"]),
                format_datetime(c["date_depot"]) if c["date_depot"] else "—",
                oui_non(c["hors_delai"]),
            ],
        }
    ),
    hide_header=True,
)
if c.get("structure_type_autre"):
    # the candidate's own words: plain text, never in a table (tables render Markdown)
    st.text(f"Type de structure précisé (réponse « Autre ») : {c['structure_type_autre']}")

AUCUN_CONTACT = (
    "Aucun contact conservé pour cette candidature : effacés à l'échéance de conservation "
    "des données personnelles, ou jamais saisis."
)
compte = auth.current_account()
if contacts_q.autorise(compte) and compte is not None:
    st.subheader("Contacts")
    if st.button("Afficher les contacts", help="Données personnelles : consultation journalisée."):
        try:
            auth.journaliser(compte.identifiant, "consultation_contacts", candidature_id, "fiche")
        except Exception:
            st.error("Journal des consultations indisponible : contacts non affichés.")
        else:
            champs_contact = contacts_q.contacts(candidature_id, compte)
            if not champs_contact:
                st.info(AUCUN_CONTACT)
            else:
                plain.table(
                    pl.DataFrame(
                        {
                            "Information": list(champs_contact),
                            "Valeur": [
                                v or indicators.NON_RENSEIGNE for v in champs_contact.values()
                            ],
                        }
                    ),
                    hide_header=True,
                )
    st.caption("Données personnelles : ne pas les recopier hors de l'application.")

st.header("Projet")
st.caption("Intitulé (tel que saisi)")
st.text(c["projet_titre"] or indicators.NON_RENSEIGNE)
st.caption("Description (telle que saisie)")
with st.container(border=True):
    st.text(c["projet_description"] or indicators.NON_RENSEIGNE)
st.caption(
    f"État d'avancement : {plain.escape(c['projet_statut_libelle'] or indicators.NON_RENSEIGNE)}"
    " · année de référence des chiffres : "
    f"{plain.escape(c['annee_reference'] or indicators.NON_RENSEIGNE)}"
)

st.header("Territoire")
gauche, droite = st.columns([3, 2])
with gauche:
    plain.table(territoire(c))
    statut = STATUTS_TERRITOIRE.get(c["territoire_statut"] or "", c["territoire_statut"] or "")
    st.caption(
        f"Résolution du territoire : {plain.escape(statut)} (niveau : "
        f"{plain.escape(c['territoire_niveau'] or indicators.NON_RENSEIGNE)}). Populations : "
        f"{fiche_q.millesime()}. Saisie du formulaire et explication :"
    )
    st.text(c["territoire_saisi"] or indicators.NON_RENSEIGNE)
    if c["territoire_message"]:
        st.text(c["territoire_message"])
with droite:
    point = (
        (c["carte_longitude"], c["carte_latitude"])
        if c["carte_longitude"] is not None and c["carte_latitude"] is not None
        else None
    )
    st.plotly_chart(
        maps.territory_minimap(c["departement_code"], point),
        config={**maps.PLOTLY_CONFIG, "displayModeBar": False},
    )
    if c["departement_code"] is None:
        st.caption("Territoire non résolu : carte de la France, sans point.")
    else:
        st.caption(
            f"Département {plain.escape(c['departement_nom'] or c['departement_code'])}"
            + (" ; point : commune du projet." if point else " (commune non placée).")
        )

st.header("Catégories et éligibilité")
categories = fiche.categories
plain.table(
    pl.DataFrame(
        {
            "Catégorie": categories["libelle"].fill_null(categories["categorie_code"]),
            "Éligible": [oui_non(v) for v in categories["eligible"]],
            "Cas limite (jury)": [oui_non(v) for v in categories["cas_limite"]],
            "Motifs": [
                "; ".join(m) if m is not None and len(m) else "aucun" for m in categories["motifs"]
            ],
        }
    )
)
if c["motifs"] is not None and len(c["motifs"]):
    st.caption(
        "Motifs d'inéligibilité de la candidature : " + plain.escape(" ; ".join(c["motifs"]))
    )
for code, verdict in fiche.rural.items():
    st.subheader(f"Test rural ({code})")
    st.caption(f"Seuils de l'édition {c['edition']} : {verdict.seuils.description_fr()}")
    st.text(verdict.explication_fr())
    if verdict.cas_limite:
        st.warning("Cas limite : le jury tranche, le produit ne décide pas.")

st.header("Chiffres déclarés et indicateurs")
volumes = st.columns(4)
for colonne, code in zip(
    volumes,
    ("heures_insertion", "nb_participants", "heures_par_participant", "taux_realisation"),
    strict=True,
):
    ind = indicators.PAR_CODE[code]
    colonne.metric(ind.libelle, indicators.format_valeur(ind, c[code]))
plain.table(
    pl.DataFrame(
        {
            "Indicateur normalisé": [i.libelle for i in indicators.NORMALISES],
            "Valeur": [indicators.format_valeur(i, c[i.code]) for i in indicators.NORMALISES],
            "Définition": [i.definition for i in indicators.NORMALISES],
        }
    )
)
st.caption(f"« {indicators.NON_RENSEIGNE} » : non renseigné ou non calculable.")
with st.expander("Toutes les données chiffrées déclarées"):
    plain.table(tableaux.tableau_declare(c, fiche_q.champs(c["edition"])))

st.header("Avertissements sur les données")
if fiche.avertissements.height:
    nombre = fiche.avertissements.height
    problemes = (
        "1 problème relevé" if nombre == 1 else f"{format_integer(nombre)} problèmes relevés"
    )
    st.warning(
        f"{problemes} sur la ligne {c['ligne']} du fichier d'export : vérifiez ces valeurs "
        "avant de les citer."
    )
    plain.table(
        fiche.avertissements.rename(
            {
                "severite": "Sévérité",
                "colonne": "Colonne",
                "valeur": "Valeur saisie",
                "regle": "Règle",
                "message": "Message",
            }
        )
    )
else:
    st.success(f"Aucun problème relevé sur la ligne {c['ligne']} du fichier d'export.")
st.caption(f"Fichier : {plain.escape(c['fichier'])}, ligne {c['ligne']}.")

st.header("Face à ses catégories")
positions = [(f"{p.categorie} {p.edition}", p.centiles) for p in fiche.positions]
effectifs = ", ".join(
    f"{p.categorie} {p.edition} : {format_integer(p.effectif)}" for p in fiche.positions
)
st.caption(
    f"Chaque catégorie compte toutes ses candidatures de l'édition, éligibles ou non "
    f"({effectifs}). Rang centile : part des autres candidatures de la catégorie dont la "
    "valeur est inférieure (égalités pour moitié) ; 50e = médiane, 100e = la plus haute."
)
if positions:
    normalises = [i.code for i in indicators.NORMALISES]
    texte = (
        "Rang centile de la candidature pour chaque indicateur normalisé dans chacune de "
        "ses catégories (un symbole par catégorie ; pointillé : médiane ; indicateur "
        "absent : rang non calculable)."
    )
    st.plotly_chart(
        charts.centiles_candidature(positions, normalises),
        config=plotly_config(displayModeBar=False),
        alt=texte,
    )
    st.caption(texte)
    plain.table(tableaux.tableau_positions(positions, comparer.CODES))

st.header("Références nationales")
plain.table(tableaux.tableau_references(c, national.national_figures()))
st.caption(
    "Chaque référence dit son année et sa portée : aucune répartition nationale par public "
    "(femmes, jeunes, QPV) n'est publiée, les références de ces parts sont franciliennes."
)
