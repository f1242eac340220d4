"""``trophees site``: build an edition's public palmarès site (argument parsing only)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.press.cli import parse_date
from etl.cli import Subcommands


def _cmd_site(args: argparse.Namespace) -> int:
    from dashboard.exports import images
    from dashboard.site import SiteImpossible, build_site

    try:
        report = build_site(args.edition, Path(args.sortie), aujourdhui=args.aujourdhui)
    except (KeyError, FileNotFoundError, images.ImageImpossible, SiteImpossible) as err:
        message = f"édition {args.edition} inconnue" if isinstance(err, KeyError) else str(err)
        print(f"Site du palmarès impossible : {message}", file=sys.stderr)
        return 1
    finally:
        images.stop()
    print(report.summary_fr())
    return 0


def register(sub: Subcommands) -> None:
    """Add ``site`` to the ``trophees`` sub-commands."""
    p = sub.add_parser(
        "site",
        help="Construit le site public du palmarès d'une édition (HTML statique, hors ligne).",
    )
    p.add_argument("--edition", type=int, required=True, help="Année de l'édition, ex. 2023.")
    p.add_argument("--sortie", required=True, help="Dossier du site (créé ou remplacé).")
    p.add_argument(
        "--aujourdhui",
        type=parse_date,
        default=None,
        help="Jour de référence pour l'embargo (AAAA-MM-JJ ; par défaut aujourd'hui).",
    )
    p.set_defaults(func=_cmd_site)
