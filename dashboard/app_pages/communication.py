"""Communication : chiffres clés sourcés, mises en avant, lauréats sous embargo, visuels,
fiches, diaporama et dossier de presse (rôles communication et administration).

Les fichiers sont produits au clic (téléchargements différés) ; chaque téléchargement
passe par le module d'export commun, avec le rôle connecté, et est inscrit au journal.
Le texte saisi par les candidats s'affiche en tableaux ou en texte brut, jamais en HTML.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import polars as pl
import streamlit as st

from dashboard import auth, db, exports, filters, queries, site
from dashboard.exports import images
from dashboard.filters import CHOISIR
from dashboard.jury.states import AuditAction, HighlightKind
from dashboard.jury.store import Store
from dashboard.press import cards, highlights, kit
from dashboard.press.sheet_pdf import sheet_file_name
from dashboard.queries import carte as carte_q
from dashboard.queries import fiche as fiche_q
from dashboard.queries import vue_ensemble
from dashboard.site import content as site_content
from etl import editions, warehouse
from etl.frames import apply
from etl.french import PARIS, format_datetime, plural

CLE_EDITION = "communication_edition"


@st.cache_resource(ttl=300, max_entries=4, show_spinner=False)
def _nombres(annee: int, version: int | None) -> kit.ChiffresEdition:
    con = warehouse.connect()
    try:
        return kit.edition_numbers(con, editions.load_editions()[annee])
    finally:
        con.close()


def _store() -> Store | None:
    """The app's store handle; None while another process (a CLI) holds the file: the
    page then reads its copy instead."""
    try:
        return db.store()
    except Exception:
        logging.getLogger(__name__).warning("base des délibérations indisponible", exc_info=True)
        return None


def journalise(acteur: str, action_detail: str, cible: str) -> None:
    # a download must not depend on the log being writable
    with contextlib.suppress(Exception):
        auth.journaliser(acteur, AuditAction.EXPORT, cible, action_detail)


def lazy(make: Callable[[], bytes], detail: str, cible: str) -> Callable[[], bytes]:
    """Bytes produced only when the button is clicked, and the download logged."""

    def produce() -> bytes:
        data = make()
        journalise(acteur, detail, cible)
        return data

    return produce


def download(label: str, make: Callable[[], bytes], name: str, mime: str, **kw: Any) -> None:
    st.download_button(
        label,
        lazy(make, f"Téléchargement de {name}", f"{annee}"),
        file_name=name,
        mime=mime,
        icon=":material/download:",
        on_click="ignore",
        **kw,
    )


signed_in = auth.current_account()
assert signed_in is not None  # the frame signs in before any page runs
compte = signed_in
acteur = compte.identifiant
role = compte.role
configured = editions.load_editions()
annees = sorted(configured, reverse=True)
shared = filters.current().edition
# default: the shared filter's edition, else the most recent edition the warehouse holds
loaded = [a for a in annees if a in queries.filter_options().editions] or annees
st.session_state.setdefault(CLE_EDITION, shared if shared in configured else loaded[0])

st.title("Communication")
st.caption(
    "Chiffres clés sourcés, mises en avant, lauréats et dossier de presse. Aucun fichier "
    "produit ici ne contient de donnée personnelle."
)
annee = st.selectbox("Édition", annees, key=CLE_EDITION, placeholder=CHOISIR)
store = _store()
aujourdhui = datetime.now(PARIS).date()
ctx = kit.prepare(
    annee,
    aujourdhui=aujourdhui,
    store_con=store.cursor() if store is not None else None,
    nombres=_nombres(annee, db.warehouse_version()),
)
if ctx.embargo.leve:
    st.success(ctx.embargo.message(), icon=":material/lock_open:")
else:
    st.warning(ctx.embargo.message(), icon=":material/lock:")

chiffres_tab, laureats_tab, avant_tab, fichiers_tab = st.tabs(
    ["Chiffres clés", "Lauréats", "Mises en avant", "Fichiers"]
)

with chiffres_tab:
    table = kit.figures_table(ctx)
    st.caption(
        "Chiffres de l'édition (couche sémantique commune à l'application et aux notebooks) "
        "puis chiffres de contexte ; chacun avec sa portée, sa base, sa source et sa date. "
        "Seul un chiffre sans avertissement de données peut devenir « Chiffre marquant »."
    )
    st.dataframe(table.drop("Valeur numérique").to_arrow(), hide_index=True)
    left, right = st.columns(2)
    with left:
        download(
            "Chiffres clés (CSV)",
            lambda: exports.csv_bytes(table, role=role),
            f"chiffres-cles-{annee}.csv",
            "text/csv",
        )
    with right:
        download(
            "Chiffres clés (XLSX)",
            lambda: exports.xlsx_bytes(table, role=role, feuille="Chiffres clés"),
            f"chiffres-cles-{annee}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    st.subheader("Par région")
    st.caption(
        "Un nombre de personnes fondé sur moins de 5 personnes s'affiche « moins de 5 » ; "
        "une autre cellule de la colonne est alors masquée (« secret statistique ») pour "
        "qu'aucune ne se déduise du total."
    )
    st.dataframe(ctx.territoires.affichage().to_arrow(), hide_index=True)
    download(
        "Chiffres par région (CSV)",
        lambda: exports.csv_bytes(ctx.territoires.tableur(), role=role),
        f"chiffres-par-region-{annee}.csv",
        "text/csv",
    )

with laureats_tab:
    st.caption(ctx.deliberations)
    if not ctx.laureats:
        st.info(
            "Le jury n'a pas encore décidé de lauréat pour cette édition : ils apparaîtront "
            "ici dès sa décision.",
            icon=":material/hourglass_empty:",
        )
    else:
        if not ctx.embargo.leve:
            st.warning(
                "Ces lauréats sont sous embargo : ne les nommez dans aucune sortie publique "
                "avant la date de la cérémonie. Cartes et fiches seront disponibles ce jour-là.",
                icon=":material/lock:",
            )
        st.dataframe(
            pl.DataFrame(
                {
                    "Prix": [f"{x.categorie_numero}. {x.categorie_libelle}" for x in ctx.laureats],
                    "Structure": [x.structure for x in ctx.laureats],
                    "Territoire": [x.territoire for x in ctx.laureats],
                    "Chiffres": [
                        " ; ".join(f"{c.libelle} : {c.texte}" for c in x.chiffres)
                        for x in ctx.laureats
                    ],
                }
            ).to_arrow(),
            hide_index=True,
        )

with avant_tab:
    found = ctx.mises_en_avant
    candidatures = fiche_q.options(filters.Filters(edition=annee))
    libelles = dict(zip(candidatures["candidature_id"], candidatures["libelle"], strict=True))
    chiffres_fr = {c.code: c.libelle for c in ctx.chiffres}

    def sujet(candidature_id: str | None, chiffre_code: str | None) -> str:
        """What a highlight is about, named for people (never an id or a code)."""
        if candidature_id:
            return str(libelles.get(candidature_id, "candidature retirée de l'entrepôt"))
        return chiffres_fr.get(chiffre_code or "", "chiffre retiré")

    if found.is_empty():
        st.info("Aucune mise en avant pour cette édition.", icon=":material/info:")
    else:
        st.dataframe(
            found.select(
                pl.col("id").alias("N°"),
                pl.col("type")
                .replace_strict({k.value: k.label for k in HighlightKind}, default="")
                .alias("Type"),
                pl.Series(
                    "Sur",
                    [
                        sujet(c, f)
                        for c, f in zip(found["candidature_id"], found["chiffre_code"], strict=True)
                    ],
                    pl.String,
                ),
                pl.col("texte").alias("Texte"),
                pl.col("auteur").alias("Auteur"),
                apply(found["horodatage"], format_datetime).alias("Le"),
            ).to_arrow(),
            hide_index=True,
        )
    if store is None:
        st.warning(
            "La base des délibérations est tenue par un autre programme : ajout impossible "
            "pour l'instant.",
            icon=":material/block:",
        )
    else:
        with st.form("mise_en_avant", clear_on_submit=True, enter_to_submit=False):
            type_ = st.selectbox(
                "Type",
                list(HighlightKind),
                format_func=HighlightKind.label_of,
                required=True,
                placeholder=CHOISIR,
            )
            publiables = [c for c in ctx.chiffres if c.publiable]
            chiffre = st.selectbox(
                "Chiffre (pour un « Chiffre marquant »)",
                [c.code for c in publiables],
                format_func=lambda code: next(
                    f"{c.libelle} : {c.texte}" for c in publiables if c.code == code
                ),
                help="Seuls les chiffres sans avertissement de données sont proposés.",
                placeholder=CHOISIR,
            )
            cible = st.selectbox(
                "Candidature (pour un « Coup de cœur » ou une « Citation »)",
                list(libelles),
                format_func=libelles.__getitem__,
                index=None,
                placeholder="Choisir une candidature",
            )
            texte = st.text_area("Texte court", max_chars=highlights.TEXTE_MAX)
            if st.form_submit_button("Mettre en avant", icon=":material/star:"):
                try:
                    highlights.add_highlight(
                        store,
                        compte,
                        annee,
                        type_ or HighlightKind.COUP_DE_COEUR,
                        texte,
                        candidature_id=cible if type_ != HighlightKind.CHIFFRE_MARQUANT else None,
                        chiffre_code=chiffre if type_ == HighlightKind.CHIFFRE_MARQUANT else None,
                        chiffres=ctx.chiffres,
                    )
                except highlights.MiseEnAvantRefusee as err:
                    st.error(str(err), icon=":material/error:")
                else:
                    st.success("Mise en avant enregistrée.", icon=":material/check:")
                    st.rerun()
        if not found.is_empty():
            with st.form("retirer_mise_en_avant", enter_to_submit=False):
                par_id = {
                    int(i): f"n° {i} · {HighlightKind.label_of(t)} · {sujet(c, f)}"
                    for i, t, c, f in found.select(
                        "id", "type", "candidature_id", "chiffre_code"
                    ).iter_rows()
                }
                retirer = st.selectbox(
                    "Mise en avant à retirer",
                    list(par_id),
                    format_func=par_id.__getitem__,
                    placeholder=CHOISIR,
                )
                if st.form_submit_button("Retirer", icon=":material/delete:"):
                    highlights.remove_highlight(store, compte, int(retirer))
                    st.rerun()
        refused = [c for c in ctx.chiffres if not c.publiable]
        if refused:
            st.caption(
                "Non proposés (avertissements de données ou valeur inconnue) : "
                + ", ".join(c.libelle for c in refused)
                + "."
            )

with fichiers_tab:
    st.subheader("Dossier de presse et diaporama")
    st.caption(
        f"{plural(len(ctx.laureats_publics), 'lauréat')} dans les fichiers publics. "
        "Le dossier (ZIP) contient cartes, fiches, diaporama, chiffres clés, textes "
        "alternatifs, crédits et sources ; sa production prend quelques secondes."
    )
    left, right = st.columns(2)
    with left:
        download(
            "Dossier de presse (ZIP)",
            lambda: kit.zip_bytes(kit.kit_members(ctx).members),
            kit.zip_name(annee),
            "application/zip",
            type="primary",
        )
    with right:
        download(
            "Diaporama de la cérémonie (PPTX)",
            lambda: kit.deck(ctx),
            f"diaporama-ceremonie-{annee}.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        )

    st.subheader("Site public du palmarès")
    st.caption(
        "Un dossier de pages web à publier tel quel sur le site d'Alliance Villes Emploi ou "
        "d'un partenaire : chiffres clés, carte, prix et lauréats (après la cérémonie), "
        "une page par lauréat, carte et palmarès à intégrer. Aucune donnée personnelle ; "
        "fonctionne sans serveur ni connexion."
    )
    download(
        "Site du palmarès (ZIP)",
        lambda: site.zip_bytes(
            site.render(
                site_content.gather(
                    annee, aujourdhui=aujourdhui, store_con=store.cursor() if store else None
                )
            )
        ),
        f"site-palmares-{annee}.zip",
        "application/zip",
    )

    st.subheader("Cartes et fiche d'un lauréat")
    if not ctx.laureats_publics:
        st.info(
            "Disponibles dès la levée de l'embargo, quand le jury a décidé.",
            icon=":material/lock:",
        )
    else:
        by_id = {x.candidature_id + x.categorie_code: x for x in ctx.laureats_publics}
        choisi = by_id[
            st.selectbox(
                "Lauréat",
                list(by_id),
                format_func=lambda k: f"Prix {by_id[k].categorie_numero} — {by_id[k].structure}",
                placeholder=CHOISIR,
            )
        ]
        st.text(cards.card_alt_text(choisi, ctx.fictif))
        cols = st.columns(3)
        for col, fmt in zip(cols[:2], cards.FORMATS, strict=True):
            with col:
                download(
                    f"Carte {fmt.largeur}×{fmt.hauteur} (PNG)",
                    lambda fmt=fmt: images.figure_bytes(  # type: ignore[misc]
                        cards.card_figure(choisi, fmt, ctx.fictif), "png", fmt.largeur, fmt.hauteur
                    ),
                    cards.card_file_name(choisi, fmt),
                    "image/png",
                )
        with cols[2]:
            download(
                "Fiche (PDF)",
                lambda: kit.laureate_sheet(ctx, choisi),
                sheet_file_name(choisi),
                "application/pdf",
            )

    st.subheader("Exporter un graphique ou une carte de l'application")
    current = filters.current()
    scope = vue_ensemble.scope_label(current, queries.filter_options())
    graphiques: dict[str, Callable[[], Any]] = {
        "Candidatures par prix (édition choisie)": lambda: kit.prize_chart(ctx)[0],
        "Candidatures et heures par catégorie (filtres en cours)": lambda: (
            vue_ensemble.overview(current).categories.figure
        ),
        "Candidatures et heures par type de structure (filtres en cours)": lambda: (
            vue_ensemble.overview(current).structure_types.figure
        ),
        "Carte des candidatures par département (filtres en cours)": lambda: (
            carte_q.carte(current, "departement", "candidatures", scope).figure
        ),
    }
    nom = st.selectbox("Graphique", list(graphiques), placeholder=CHOISIR)
    fmt_image = st.radio("Format", ["png", "svg"], horizontal=True, format_func=str.upper)
    download(
        f"Télécharger l'image ({fmt_image.upper()})",
        lambda: images.figure_bytes(graphiques[nom](), fmt_image, 1200, 700),  # type: ignore[arg-type]
        f"graphique-{annee}.{fmt_image}",
        "image/png" if fmt_image == "png" else "image/svg+xml",
    )
