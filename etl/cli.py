"""Command line ``trophees``: argument parsing only, the work lives in the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeAlias

from etl.french import agree, plural

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


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
    from etl import editions, mapping

    try:
        loaded = editions.load_editions()
        if args.mapping:
            edition, fichier = mapping.read_mapping_for(Path(args.mapping), loaded, args.edition)
            print(fichier.describe_fr(edition))
            return 0
    except editions.EditionConfigError as err:
        print(str(err), file=sys.stderr)
        return 1
    for edition in loaded.values():
        print(edition.summary_fr())
    return 0


def _cmd_correspondance_proposer(args: argparse.Namespace) -> int:
    from etl import editions, files, mapping, reading

    try:
        edition = editions.load_editions()[args.edition]
    except KeyError:
        print(f"Édition {args.edition} inconnue (config/editions/).", file=sys.stderr)
        return 1
    except editions.EditionConfigError as err:
        print(str(err), file=sys.stderr)
        return 1
    fichier = Path(args.fichier)
    try:
        proposal = mapping.propose_file(
            fichier, edition, sheet=args.feuille, max_bytes=args.taille_max_mo * 1024 * 1024
        )
    except (reading.ExportRefuse, FileNotFoundError, IsADirectoryError) as err:
        print(f"Proposition impossible : {err}", file=sys.stderr)
        return 1
    text = mapping.mapping_file_text(proposal, edition)
    if args.sortie is None:
        print(text, end="")
    else:
        sortie = Path(args.sortie)
        if sortie.exists() and not args.remplacer:
            print(
                f"Le fichier {sortie} existe déjà : choisissez un autre nom ou ajoutez "
                "--remplacer.",
                file=sys.stderr,
            )
            return 1
        files.write_atomic(sortie, text)
        print(mapping.summary_fr(proposal, sortie))
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


def _cmd_load(args: argparse.Namespace) -> int:
    from etl import editions, files, reading, rules, warehouse

    try:
        reports = warehouse.load_files(
            [Path(f) for f in args.fichiers],
            args.edition,
            mapping=Path(args.mapping) if args.mapping else None,
            progress=True,
            max_bytes=args.taille_max_mo * 1024 * 1024,
            sheet=args.feuille,
            replace_demo=args.remplacer_demo,
        )
    except (
        files.Busy,
        reading.ExportRefuse,
        rules.ChargementImpossible,
        editions.EditionConfigError,
        OSError,
    ) as err:
        cause = (
            files.describe_os_error(err)
            if isinstance(err, OSError) and err.errno is not None
            else str(err)
        )
        print(f"Chargement impossible : {cause}", file=sys.stderr)
        print("L'entrepôt précédent est inchangé.", file=sys.stderr)
        return 1
    for report in reports:
        print(report.summary_fr())
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from etl import demo, warehouse

    if args.echelle:
        from etl import editions, paths

        edition = editions.load_editions()[args.edition or 2023]
        target = paths.raw_dir() / "echelle" / f"reponses-{edition.annee}-{args.echelle}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        out = demo.generate_export(edition, args.echelle, args.graine, target)
        print(f"Export fictif de {out.lignes} candidatures écrit dans {out.path}")
        return 0
    exports = demo.generate_demo(seed=args.graine)
    for export in exports:
        try:
            loaded = warehouse.load_files([export.path], export.edition, fictif=True)
        except warehouse.MelangeDemoReel as err:
            print(f"Données fictives non chargées : {err}", file=sys.stderr)
            return 1
        for report in loaded:
            print(report.summary_fr())
    print("Données FICTIVES chargées : l'application l'indique sur chaque page.")
    return 0


def _cmd_dictionnaire(args: argparse.Namespace) -> int:
    from etl import editions, paths
    from etl.warehouse import dictionary

    text = dictionary.dictionary_markdown(
        paths.warehouse_path(), list(editions.load_editions().values())
    )
    out = paths.ROOT / "docs" / "dictionnaire.md"
    out.write_text(text, encoding="utf-8")
    print(f"Dictionnaire écrit dans {out}")
    return 0


def _cmd_purge(args: argparse.Namespace) -> int:
    from datetime import date

    from etl import files
    from etl.warehouse import purge

    today = date.fromisoformat(args.date) if args.date else date.today()
    months = purge.retention_months()
    due = purge.due_editions(today, months)
    print(
        f"Conservation des contacts : {months} mois après la cérémonie (config/app.toml, "
        "[conservation] contacts_mois)."
    )
    if not due:
        print("Aucune édition à purger à cette date.")
        return 0
    for d in due:
        print(d.describe_fr())
    if not args.confirmer:
        print("Rien n'a été effacé : relancez avec --confirmer pour effacer.")
        return 0
    try:
        erased = purge.purge(due, today)
    except files.Busy as err:
        print(f"Purge impossible : {err}", file=sys.stderr)
        return 1
    for edition, rows in erased.items():
        print(
            f"Édition {edition} : {plural(rows, 'ligne')} de contacts "
            f"{agree(rows, 'effacée')} de l'entrepôt."
        )
    print(
        "Exports d'origine supprimés sous data/raw. À faire hors de l'outil : effacer les "
        "copies de ces exports ailleurs et les sauvegardes antérieures à aujourd'hui "
        "(docs/exploitation.md)."
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ETL's own commands (``python -m etl.cli``); ``trophees`` adds the app's."""
    parser, sub = new_parser()
    register(sub)
    return parser


def new_parser() -> tuple[argparse.ArgumentParser, Subcommands]:
    parser = argparse.ArgumentParser(
        prog="trophees",
        description="Trophées de l'Achat Socialement Responsable : données et tableau de bord.",
    )
    sub = parser.add_subparsers(dest="commande", required=True, metavar="COMMANDE")
    return parser, sub


def register(sub: Subcommands) -> None:
    """Add the ETL sub-commands to ``sub``."""
    p = sub.add_parser(
        "reference",
        help="Construit la géographie de référence (communes, EPCI, départements, régions).",
    )
    p.add_argument("--force", action="store_true", help="Reconstruit même si rien n'a changé.")
    p.set_defaults(func=_cmd_reference)

    p = sub.add_parser("editions", help="Vérifie et résume les configurations d'édition.")
    p.add_argument(
        "--mapping",
        help="Vérifie aussi ce fichier de correspondance (docs/chargement.md) : "
        "champs, colonnes, vocabulaires.",
    )
    p.add_argument(
        "--edition",
        type=int,
        help="Édition de la correspondance (sinon : celle de sa section [correspondance]).",
    )
    p.set_defaults(func=_cmd_editions)

    p = sub.add_parser(
        "correspondance",
        help="Correspondance entre un export et les champs d'une édition (docs/chargement.md).",
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = actions.add_parser(
        "proposer",
        help="Propose une correspondance commentée pour un export (questions, réponses).",
    )
    q.add_argument("fichier", metavar="FICHIER", help="Export CSV ou XLSX.")
    q.add_argument("--edition", type=int, required=True, help="Année de l'édition (ex. 2023).")
    q.add_argument("--sortie", help="Fichier TOML à écrire (sinon : affichée).")
    q.add_argument(
        "--remplacer", action="store_true", help="Remplace le fichier --sortie s'il existe."
    )
    q.add_argument("--feuille", help="Feuille d'un classeur XLSX (la première par défaut).")
    q.add_argument(
        "--taille-max-mo",
        dest="taille_max_mo",
        type=int,
        default=20,
        help="Taille maximale d'un fichier accepté, en Mo (20 par défaut).",
    )
    q.set_defaults(func=_cmd_correspondance_proposer)

    p = sub.add_parser("territoire", help="Résout un territoire saisi dans un formulaire.")
    p.add_argument("--commune", help="Nom de commune tel que saisi.")
    p.add_argument("--code-postal", dest="code_postal", help="Code postal.")
    p.add_argument("--departement", help="Code ou nom de département.")
    p.add_argument("--epci", help="Nom ou SIREN d'EPCI.")
    p.add_argument("--code-insee", dest="code_insee", help="Code INSEE de commune.")
    p.add_argument("--texte", help="Saisie libre, par exemple « Saint-Denis (974) ».")
    p.set_defaults(func=_cmd_territoire)

    p = sub.add_parser(
        "load", help="Charge un ou plusieurs exports du formulaire dans l'entrepôt DuckDB."
    )
    p.add_argument("fichiers", nargs="+", metavar="FICHIER", help="Export CSV ou XLSX.")
    p.add_argument("--edition", type=int, required=True, help="Année de l'édition (ex. 2023).")
    p.add_argument(
        "--mapping", help="Fichier TOML de correspondance des intitulés (docs/editions.md)."
    )
    p.add_argument(
        "--taille-max-mo",
        dest="taille_max_mo",
        type=int,
        default=20,
        help="Taille maximale d'un fichier accepté, en Mo (20 par défaut).",
    )
    p.add_argument("--feuille", help="Feuille d'un classeur XLSX (la première par défaut).")
    p.add_argument(
        "--remplacer-demo",
        dest="remplacer_demo",
        action="store_true",
        help="Retire les données fictives de démonstration de l'entrepôt en chargeant "
        "cet export réel (un entrepôt ne mêle jamais fictif et réel).",
    )
    p.set_defaults(func=_cmd_load)

    p = sub.add_parser(
        "demo", help="Génère et charge des éditions fictives (2023 et 2024) pour la démonstration."
    )
    p.add_argument("--graine", type=int, default=2023, help="Graine du tirage (déterministe).")
    p.add_argument(
        "--echelle", type=int, help="Écrit seulement un export de N candidatures (mesures)."
    )
    p.add_argument("--edition", type=int, help="Édition de l'export --echelle (2023 par défaut).")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser(
        "dictionnaire", help="Régénère docs/dictionnaire.md depuis le schéma de l'entrepôt."
    )
    p.set_defaults(func=_cmd_dictionnaire)

    p = sub.add_parser(
        "purge",
        help="Efface les contacts des éditions dont la durée de conservation est échue.",
    )
    p.add_argument("--date", help="Date du jour à retenir (AAAA-MM-JJ ; aujourd'hui par défaut).")
    p.add_argument(
        "--confirmer", action="store_true", help="Efface vraiment (sinon : liste seulement)."
    )
    p.set_defaults(func=_cmd_purge)


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    return func(args)


def main(argv: Sequence[str] | None = None) -> int:
    return run(build_parser(), argv)


if __name__ == "__main__":
    raise SystemExit(main())
