"""``trophees jury …`` and ``trophees sauvegarde``: argument parsing only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from dashboard.press.cli import parse_date
from etl.cli import Subcommands
from etl.french import agree, plural


def _held_message(err: Exception) -> str:
    return (
        f"La base des délibérations est ouverte par un autre processus (l'application ?) : "
        f"arrêtez-le puis relancez. ({err})"
    )


def _cmd_simuler(args: argparse.Namespace) -> int:
    from dashboard.jury import simulation

    report = simulation.simulate(
        args.jures, args.notes, Path(args.base) if args.base else None, seed=args.graine
    )
    print(
        f"{args.jures} jurés simultanés × {args.notes} notes : {report.ecrites} lignes écrites "
        f"sur {report.attendues} attendues, {plural(report.erreurs, 'erreur')}, "
        f"{plural(report.rejouees, 'transaction')} {agree(report.rejouees, 'rejouée')}, "
        f"{report.duree_s} s."
    )
    print(report.json_line())
    return 0 if report.ecrites == report.attendues and report.erreurs == 0 else 1


def _cmd_demo(args: argparse.Namespace) -> int:
    from dashboard.jury import demo
    from dashboard.jury.store import Store

    try:
        with Store() as store:
            report = demo.fill_demo(store, seed=args.graine, replace=args.remplacer)
    except (demo.DemoRefused, FileNotFoundError) as err:
        print(str(err), file=sys.stderr)
        return 1
    except (duckdb.IOException, duckdb.ConnectionException) as err:
        print(_held_message(err), file=sys.stderr)
        return 1
    print(report.summary_fr())
    return 0


def _print_results(edition: int, categorie: str | None) -> int:
    from dashboard.jury import decisions
    from dashboard.jury.rules import load_rules
    from dashboard.jury.states import Decision
    from dashboard.jury.store import StoreUnavailable, open_reader
    from etl import editions
    from etl.french import format_decimal

    config = editions.load_editions()[edition]
    rules = load_rules()
    try:
        reader = open_reader()
    except StoreUnavailable as err:
        print(str(err), file=sys.stderr)
        return 1
    with reader:
        print(reader.describe_fr())
        for category in config.categories:
            if categorie not in (None, category.code):
                continue
            table = decisions.category_results(reader.con, edition, category, rules)
            places = decisions.remaining_places(reader.con, edition, category)
            print(f"\n{category.code} — {category.libelle} (places restantes : {places})")
            for row in table.iter_rows(named=True):
                serree = " ; ".join(row["motifs_serree"]) or "—"
                niveau = Decision.label_of(row["niveau"])
                print(
                    f"  {row['rang_normalise']:>2}. {row['candidature_id']}  "
                    f"notes {row['nb_notes']}  moyenne {format_decimal(row['moyenne'], 2)}  "
                    f"normalisée {format_decimal(row['note_normalisee'], 2)}  "
                    f"{niveau}  serrée : {serree}"
                )
    return 0


def _results_request_error(edition: int, categorie: str | None, export: str | None) -> str | None:
    """Why ``jury resultats`` cannot do what was asked (French), checked before any work."""
    from etl import editions

    configured = editions.load_editions()
    if edition not in configured:
        years = ", ".join(str(y) for y in sorted(configured))
        return f"Édition {edition} inconnue : éditions configurées {years}."
    codes = [c.code for c in configured[edition].categories]
    if categorie is not None and categorie not in codes:
        return (
            f"Catégorie « {categorie} » inconnue pour l'édition {edition} : "
            f"choisir parmi {', '.join(codes)}."
        )
    if export is not None:
        out = Path(export)
        if out.is_dir():
            return f"« {out} » est un dossier : donnez un nom de fichier .csv ou .xlsx."
        if not out.parent.is_dir():
            return f"Le dossier « {out.parent} » n'existe pas : créez-le ou choisissez-en un autre."
        if out.suffix.lower() not in (".csv", ".xlsx"):
            return f"« {out.name} » : l'export s'écrit dans un fichier .csv ou .xlsx."
    return None


def _cmd_resultats(args: argparse.Namespace) -> int:
    problem = _results_request_error(args.edition, args.categorie, args.export)
    if problem:
        print(f"Résultats impossibles : {problem}", file=sys.stderr)
        return 1
    if not args.export:
        return _print_results(args.edition, args.categorie)
    from dashboard.accounts import AccountStore
    from dashboard.jury import export
    from dashboard.jury.store import Store
    from etl import editions, files

    out = Path(args.export)
    fmt: export.Format = "xlsx" if out.suffix.lower() == ".xlsx" else "csv"
    config = editions.load_editions()[args.edition]
    try:
        with Store() as store:
            jurors = {
                e.account.identifiant: e.account.nom
                for e in AccountStore().read().values()
                if e.account.role == "jury"
            }
            data = export.export_bytes(
                store, "ligne de commande", config, fmt, args.categorie, jurors=jurors
            )
    except (duckdb.IOException, duckdb.ConnectionException) as err:
        print(_held_message(err), file=sys.stderr)
        return 1
    try:
        files.write_atomic(out, data)
    except OSError as err:
        print(f"Export impossible : {files.describe_os_error(err)}.", file=sys.stderr)
        return 1
    print(f"Export {fmt.upper()} écrit dans {out}")
    return 0


def _cmd_lettres(args: argparse.Namespace) -> int:
    from datetime import datetime

    from dashboard.exports.fonts import PoliceAbsente
    from dashboard.jury import letters
    from dashboard.jury.store import StoreUnavailable, open_reader
    from etl import editions, warehouse
    from etl.french import PARIS
    from etl.warehouse import contacts

    sortie = Path(args.sortie)
    if sortie.exists() and not sortie.is_dir():
        print(f"Lettres impossibles : {sortie} est un fichier, pas un dossier.", file=sys.stderr)
        return 1
    try:
        edition = editions.load_editions()[args.edition]
    except KeyError:
        print(f"Lettres impossibles : édition {args.edition} inconnue.", file=sys.stderr)
        return 1
    day = args.date or datetime.now(PARIS).date()
    try:
        con = warehouse.connect()
        try:
            addresses = contacts.mailing(con, edition.annee)
        finally:
            con.close()
        with open_reader() as reader:
            kit = letters.letters_kit(edition, reader.con, day=day, contacts=addresses)
    except (StoreUnavailable, FileNotFoundError, PoliceAbsente) as err:
        print(f"Lettres impossibles : {err}", file=sys.stderr)
        return 1
    written = letters.write_letters(kit, sortie, edition.annee)
    print(kit.summary_fr())
    print(f"Écrites dans {sortie} : {', '.join(p.name for p in written)}.")
    return 0


def _cmd_proces_verbal(args: argparse.Namespace) -> int:
    from datetime import datetime

    from dashboard.accounts import AccountStore
    from dashboard.jury import minutes
    from dashboard.jury.candidatures import candidatures_to_judge, warehouse_is_fictitious
    from dashboard.jury.rules import load_rules
    from dashboard.jury.store import StoreUnavailable, open_reader
    from etl import editions
    from etl.french import PARIS

    configured = editions.load_editions()
    if args.edition not in configured:
        print(f"Édition {args.edition} inconnue (config/editions/).", file=sys.stderr)
        return 1
    edition = configured[args.edition]
    out = Path(args.sortie)
    if out.suffix.lower() not in (".pdf", ".xlsx"):
        print("La sortie doit finir par .pdf ou .xlsx.", file=sys.stderr)
        return 1
    jurors = [e.account for e in AccountStore().read().values() if e.account.role == "jury"]
    try:
        candidatures = candidatures_to_judge(edition.annee)
        reader = open_reader()
    except (StoreUnavailable, FileNotFoundError) as err:
        print(str(err), file=sys.stderr)
        return 1
    with reader:
        content = minutes.minutes(
            reader.con,
            edition,
            load_rules(),
            candidatures,
            jurors,
            fictif=warehouse_is_fictitious(),
            now=datetime.now(PARIS),
        )
    data = (
        minutes.minutes_pdf(content)
        if out.suffix.lower() == ".pdf"
        else (minutes.minutes_xlsx(content))
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"Procès-verbal {edition.annee} écrit dans {out} ({reader.describe_fr().lower()}).")
    return 0


def _cmd_sauvegarde(args: argparse.Namespace) -> int:
    from dashboard.jury import backup
    from dashboard.jury.store import StoreUnavailable

    if args.restaurer:
        try:
            target = backup.restore(Path(args.restaurer))
        except (RuntimeError, ValueError, duckdb.Error) as err:
            print(f"Restauration impossible : {err}", file=sys.stderr)
            return 1
        print(f"{target} restaurée depuis {args.restaurer} (l'ancienne base est gardée à côté).")
        return 0
    try:
        report = backup.backup(Path(args.sortie) if args.sortie else None)
    except StoreUnavailable as err:
        print(f"Sauvegarde impossible : {err}", file=sys.stderr)
        return 1
    print(report.summary_fr())
    return 0


def register(sub: Subcommands) -> None:
    """Add ``jury`` (simuler, demo, resultats, lettres) and ``sauvegarde`` to ``trophees``."""
    jury = sub.add_parser(
        "jury", help="Délibération du jury : simulation de charge, démonstration, résultats."
    )
    jury_sub = jury.add_subparsers(dest="action_jury", required=True, metavar="ACTION")

    p = jury_sub.add_parser(
        "simuler",
        help="Simule des jurés notant en même temps ; vérifie qu'aucune note n'est perdue.",
    )
    p.add_argument("--jures", type=int, default=10, help="Nombre de jurés simultanés (10).")
    p.add_argument("--notes", type=int, default=100, help="Notes envoyées par juré (100).")
    p.add_argument(
        "--base", help="Fichier DuckDB où écrire (par défaut une base temporaire, effacée)."
    )
    p.add_argument("--graine", type=int, default=2023, help="Graine du tirage des notes.")
    p.set_defaults(func=_cmd_simuler)

    p = jury_sub.add_parser(
        "demo",
        help="Remplit une délibération FICTIVE pour l'entrepôt de démonstration.",
    )
    p.add_argument("--graine", type=int, default=2023, help="Graine du tirage (déterministe).")
    p.add_argument(
        "--remplacer",
        action="store_true",
        help="Refait la délibération fictive (efface les seules données des comptes demo-…).",
    )
    p.set_defaults(func=_cmd_demo)

    p = jury_sub.add_parser(
        "resultats", help="Affiche les résultats d'une édition, ou les exporte (CSV/XLSX)."
    )
    p.add_argument("--edition", type=int, required=True, help="Année de l'édition (ex. 2023).")
    p.add_argument("--categorie", help="Code d'une seule catégorie (ex. COMM).")
    p.add_argument(
        "--export", help="Écrit notes, commentaires et décisions dans ce fichier .csv ou .xlsx."
    )
    p.set_defaults(func=_cmd_resultats)

    p = jury_sub.add_parser(
        "lettres",
        help="Une lettre de retour (PDF) par candidature, leur ZIP et le fichier de publipostage.",
    )
    p.add_argument("--edition", type=int, required=True, help="Année de l'édition (ex. 2023).")
    p.add_argument("--sortie", required=True, help="Dossier où écrire les lettres.")
    p.add_argument(
        "--date",
        type=parse_date,
        default=None,
        help="Date portée sur les lettres (AAAA-MM-JJ ; par défaut aujourd'hui).",
    )
    p.set_defaults(func=_cmd_lettres)

    p = jury_sub.add_parser(
        "proces-verbal",
        help="Procès-verbal de la délibération (PDF à signer, ou même contenu en XLSX).",
    )
    p.add_argument("--edition", type=int, required=True, help="Année de l'édition (ex. 2023).")
    p.add_argument("--sortie", required=True, help="Fichier .pdf ou .xlsx à écrire.")
    p.set_defaults(func=_cmd_proces_verbal)

    p = sub.add_parser(
        "sauvegarde",
        help="Sauvegarde vérifiée de la base des délibérations (ou restauration).",
    )
    p.add_argument(
        "--sortie",
        help="Fichier de sauvegarde (par défaut data/sauvegardes/deliberations-<date>.duckdb).",
    )
    p.add_argument(
        "--restaurer",
        metavar="FICHIER",
        help="Remplace la base par cette sauvegarde (application arrêtée).",
    )
    p.set_defaults(func=_cmd_sauvegarde)
