"""The public palmarès site of an edition: a folder of HTML and CSS, built offline.

``trophees site --edition AAAA --sortie DOSSIER`` (and a button on « Communication »)
writes a folder that works opened from disk or on any static host: no server, no script,
no request outside the folder. Pages (:mod:`dashboard.site.content` gathers what they say,
from the press kit's definitions):

- ``index.html``: the edition, key figures with their source, each prize and its laureate,
  the map of candidatures (laureates as stars) with its text alternative and table;
- ``laureats/<prix>-<structure>.html``: one page per laureate (card, project, territory
  with a mini-map, figures);
- ``carte.html`` and ``palmares.html``: the map and the laureate list alone, to embed in an
  ``<iframe>``; ``integrer.html`` shows the snippets.

Rules: before the ceremony no file names a laureate (the home page says when they will be
published); no personal data (laureates carry no contact); « Données fictives » on every
page of a demo build; every text is escaped by Jinja2 (candidate text never becomes HTML).
The folder is written beside its target and swapped in whole.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dashboard.press import cards, kit
from dashboard.site import figures
from dashboard.site.content import SiteContent, gather, slug
from etl import files
from etl.french import agree, format_date, plural

HERE = Path(__file__).resolve().parent
MARKER = ".palmares-trophees"
"""File that marks a folder as a site built here (an existing folder without it is refused)."""


class SiteImpossible(RuntimeError):
    """The site cannot be written where asked (French message)."""


@dataclass(frozen=True)
class SiteReport:
    """What a build wrote."""

    dossier: Path
    pages: int
    laureats: int
    embargo_leve: bool
    fictif: bool
    duree_s: float

    def summary_fr(self) -> str:
        embargo = (
            f"{plural(self.laureats, 'lauréat')} {agree(self.laureats, 'publié')}"
            if self.embargo_leve
            else "aucun lauréat (embargo jusqu'à la cérémonie)"
        )
        fictif = " — DONNÉES FICTIVES" if self.fictif else ""
        return (
            f"Site du palmarès écrit dans {self.dossier} : {plural(self.pages, 'page')}, "
            f"{embargo}{fictif}."
        )


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _laureate_view(laureat: Any, root: str) -> dict[str, Any]:
    return {
        "structure": laureat.structure,
        "projet": laureat.projet_titre,
        "territoire": laureat.territoire,
        "href": f"{root}laureats/{slug(laureat)}.html",
    }


def _common(content: SiteContent, root: str, page: str, embed: bool = False) -> dict[str, Any]:
    ctx = content.context
    return {
        "edition": ctx.edition,
        "organisateur": ctx.edition.organisateur or "Alliance Villes Emploi",
        "fictif": content.fictif,
        "root": root,
        "page": page,
        "embed": embed,
        "ceremony": content.ceremony,
        "embargo_lifted": content.embargo_lifted,
        "sources": (
            "Sources : candidatures reçues par le formulaire en ligne des Trophées "
            f"(édition {ctx.edition.annee}), chiffres déclarés par les structures ; "
            "géographie INSEE (populations légales 2023, Licence Ouverte 2.0), "
            "contours IGN ADMIN EXPRESS."
        ),
        "generated": format_date(ctx.genere_le.date()),
        "prizes": [
            {
                "categorie": p.categorie,
                "candidatures_text": plural(p.candidatures, "candidature"),
                "laureats": [_laureate_view(x, root) for x in p.laureats],
            }
            for p in content.prizes
        ],
    }


def render(content: SiteContent) -> dict[str, bytes]:
    """Every file of the site (relative path → bytes), images included."""
    env = _environment()
    out: dict[str, bytes] = {}

    def page(name: str, template: str, **values: Any) -> None:
        out[name] = env.get_template(template).render(**values).encode("utf-8")

    map_text = figures.edition_map_text(content)
    out["assets/carte.svg"] = figures.edition_map_svg(content)
    out["assets/site.css"] = (HERE / "assets" / "site.css").read_bytes()
    regions = [{"nom": n, "candidatures": c} for n, c in content.regions.iter_rows()]
    page(
        "index.html",
        "index.html.j2",
        **_common(content, "", "accueil"),
        figures=content.figures,
        figures_source=(
            f"candidatures reçues par le formulaire en ligne des Trophées "
            f"{content.context.edition.annee}, chiffres déclarés par les structures, "
            f"données du {content.context.source.date_texte()}"
            + (" — données fictives" if content.fictif else "")
        ),
        map_text=map_text,
        regions=regions,
        laureates=content.laureates,
    )
    page(
        "carte.html",
        "carte.html.j2",
        **_common(content, "", "carte", embed=True),
        map_text=map_text,
    )
    page("palmares.html", "palmares.html.j2", **_common(content, "", "palmares", embed=True))
    page(
        "integrer.html",
        "integrer.html.j2",
        **_common(content, "", "integrer"),
        snippet_map=_snippet(
            "carte.html", f"Carte des candidatures {content.context.edition.annee}", 640, 600
        ),
        snippet_list=_snippet(
            "palmares.html", f"Palmarès {content.context.edition.annee}", 640, 360
        ),
    )
    for laureat in content.laureates:
        card = cards.card_file_name(laureat, cards.PAYSAGE)
        out[f"assets/{card}"] = kit.card_images(content.context, laureat)[card]
        minimap = f"minicarte-{laureat.categorie_code}-{laureat.candidature_id}.svg"
        out[f"assets/{minimap}"] = figures.minimap_svg(laureat)
        page(
            f"laureats/{slug(laureat)}.html",
            "laureat.html.j2",
            **_common(content, "../", "laureat"),
            l=laureat,
            card_file=card,
            card_alt=cards.card_alt_text(laureat, content.fictif),
            minimap_file=minimap,
            minimap_alt=figures.minimap_text(laureat),
        )
    out[MARKER] = "Site du palmarès des Trophées ASR, produit par « trophees site ».\n".encode()
    return out


def _snippet(page: str, title: str, width: int, height: int) -> str:
    return (
        f'<iframe src="https://exemple.fr/palmares/{page}" title="{title}" '
        f'width="{width}" height="{height}" loading="lazy"></iframe>'
    )


def write_site(members: dict[str, bytes], sortie: Path) -> None:
    """Write ``members`` as the folder ``sortie``, replacing a previous build whole."""
    if sortie.exists() and (
        not sortie.is_dir() or (any(sortie.iterdir()) and not (sortie / MARKER).exists())
    ):
        raise SiteImpossible(
            f"{sortie} existe et n'est pas un site du palmarès déjà produit ici : choisissez "
            "un dossier vide ou nouveau (rien n'a été écrit)."
        )
    staging = files.temporary_sibling(sortie)
    try:
        for name, data in members.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        old = files.temporary_sibling(sortie) if sortie.exists() else None
        if old is not None:
            sortie.rename(old)
        staging.rename(sortie)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """The site as one ZIP (the app's download), members under ``palmares/``."""
    return kit.zip_bytes({f"palmares/{name}": data for name, data in members.items()})


def build_site(
    annee: int,
    sortie: Path,
    *,
    aujourdhui: date | None = None,
    warehouse_path: Path | None = None,
    store_path: Path | None = None,
) -> SiteReport:
    """Gather, render and write the site of edition ``annee`` into ``sortie``."""
    started = time.perf_counter()
    content = gather(
        annee, aujourdhui=aujourdhui, warehouse_path=warehouse_path, store_path=store_path
    )
    members = render(content)
    write_site(members, sortie)
    return SiteReport(
        dossier=sortie,
        pages=sum(1 for name in members if name.endswith(".html")),
        laureats=len(content.laureates),
        embargo_leve=content.embargo_lifted,
        fictif=content.fictif,
        duree_s=round(time.perf_counter() - started, 2),
    )
