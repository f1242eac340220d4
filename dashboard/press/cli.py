"""``trophees presse``: build an edition's press kit from the command line (parsing only)."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from etl.cli import Subcommands
from etl.french import format_decimal


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"date attendue au format AAAA-MM-JJ : {text!r}") from err


def _cmd_presse(args: argparse.Namespace) -> int:
    from dashboard.exports import images
    from dashboard.exports.fonts import PoliceAbsente
    from dashboard.press import kit as dossier
    from etl import files

    sortie = Path(args.sortie)
    if sortie.exists() and not sortie.is_dir():
        print(
            f"Dossier de presse impossible : « {sortie} » est un fichier, pas un dossier. "
            "Donnez un dossier (il est créé s'il n'existe pas).",
            file=sys.stderr,
        )
        return 1
    start = time.perf_counter()
    try:
        ctx = dossier.prepare(args.edition, aujourdhui=args.aujourdhui)
        kit = dossier.kit_members(ctx)
        archive = dossier.write_kit(kit, sortie)
    except (KeyError, OSError, images.ImageImpossible, PoliceAbsente) as err:
        if isinstance(err, KeyError):
            message = f"édition {args.edition} inconnue"
        elif isinstance(err, OSError) and err.errno is not None:
            message = files.describe_os_error(err)
        else:
            message = str(err)
        print(f"Dossier de presse impossible : {message}", file=sys.stderr)
        return 1
    finally:
        images.stop()
    print(kit.summary_fr())
    print(f"Fichiers écrits dans {args.sortie} ; archive : {archive}")
    print(f"Durée totale : {format_decimal(time.perf_counter() - start, 1)} s")
    return 0


def register(sub: Subcommands) -> None:
    """Add ``presse`` to the ``trophees`` sub-commands."""
    p = sub.add_parser(
        "presse",
        help="Construit le dossier de presse d'une édition (cartes, fiches, diaporama, ZIP).",
    )
    p.add_argument("--edition", type=int, required=True, help="Année de l'édition, ex. 2023.")
    p.add_argument("--sortie", required=True, help="Dossier où écrire les fichiers et le ZIP.")
    p.add_argument(
        "--aujourdhui",
        type=parse_date,
        default=None,
        help="Jour de référence pour l'embargo (AAAA-MM-JJ ; par défaut aujourd'hui).",
    )
    p.set_defaults(func=_cmd_presse)
