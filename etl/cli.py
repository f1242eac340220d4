"""Command line ``trophees``: argument parsing only, the work lives in the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence


def _cmd_reference(args: argparse.Namespace) -> int:
    from etl import reference

    try:
        report = reference.build_reference(force=args.force)
    except reference.ReferenceBuildError as err:
        print(str(err), file=sys.stderr)
        return 1
    print(report.summary_fr())
    return 0


def _cmd_editions(args: argparse.Namespace) -> int:
    from etl import editions

    try:
        loaded = editions.load_editions()
    except editions.EditionConfigError as err:
        print(str(err), file=sys.stderr)
        return 1
    for edition in loaded.values():
        print(edition.summary_fr())
    return 0


def _cmd_territoire(args: argparse.Namespace) -> int:
    from etl import reference, territory

    resolver = territory.TerritoryResolver.from_reference(reference.load_reference())
    result = resolver.resolve(
        commune=args.commune,
        code_postal=args.code_postal,
        departement=args.departement,
        epci=args.epci,
        code_insee=args.code_insee,
        texte=args.texte,
    )
    print(result.describe_fr())
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from etl import bench

    path = bench.run_benchmarks(only=args.seulement)
    print(f"Mesures écrites dans {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trophees",
        description="Trophées de l'Achat Socialement Responsable : données et tableau de bord.",
    )
    sub = parser.add_subparsers(dest="commande", required=True, metavar="COMMANDE")

    p = sub.add_parser(
        "reference",
        help="Construit la géographie de référence (communes, EPCI, départements, régions).",
    )
    p.add_argument("--force", action="store_true", help="Reconstruit même si rien n'a changé.")
    p.set_defaults(func=_cmd_reference)

    p = sub.add_parser("editions", help="Vérifie et résume les configurations d'édition.")
    p.set_defaults(func=_cmd_editions)

    p = sub.add_parser("territoire", help="Résout un territoire saisi dans un formulaire.")
    p.add_argument("--commune", help="Nom de commune tel que saisi.")
    p.add_argument("--code-postal", dest="code_postal", help="Code postal.")
    p.add_argument("--departement", help="Code ou nom de département.")
    p.add_argument("--epci", help="Nom ou SIREN d'EPCI.")
    p.add_argument("--code-insee", dest="code_insee", help="Code INSEE de commune.")
    p.add_argument("--texte", help="Saisie libre, par exemple « Saint-Denis (974) ».")
    p.set_defaults(func=_cmd_territoire)

    p = sub.add_parser("bench", help="Mesure les performances et écrit data/bench/latest.json.")
    p.add_argument(
        "--seulement", action="append", help="Ne lance que ces mesures (nom, répétable)."
    )
    p.set_defaults(func=_cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    return func(args)


if __name__ == "__main__":
    raise SystemExit(main())
