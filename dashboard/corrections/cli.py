"""``trophees corrections lister|ajouter|annuler|exporter|importer``: the organiser's
corrections from the console, for batches and scripts (parsing and printing only).

The work lives in :mod:`etl.corrections`; exports go through :mod:`dashboard.exports`
(formulas neutralised). An import reads a CSV or XLSX with one correction per line (the
columns of an export), checks every line first and records all of them or none: each
error names its line. ``--essai`` only checks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from etl.cli import Subcommands
from etl.french import agree, plural

COLUMNS = {
    "N°": "id",
    "Édition": "edition",
    "Candidature": "candidature_id",
    "Nature": "nature",
    "Champ": "champ",
    "Prix": "categorie",
    "Valeur": "valeur",
    "Valeur saisie": "valeur_saisie",
    "Motif": "motif",
    "Auteur": "auteur",
    "Créée le": "cree_le",
    "Annulée le": "annulee_le",
    "Annulée par": "annulee_par",
    "Motif de l'annulation": "motif_annulation",
}
"""Columns of an export (French headers → fields); an import reads the same headers."""


def _table(rows: list[object]) -> pl.DataFrame:
    from etl.corrections import Correction

    records = [r for r in rows if isinstance(r, Correction)]
    return pl.DataFrame(
        {
            header: [
                (getattr(r, field).value if field == "nature" else getattr(r, field))
                for r in records
            ]
            for header, field in COLUMNS.items()
        },
        schema_overrides={
            "Créée le": pl.Datetime("us", "UTC"),
            "Annulée le": pl.Datetime("us", "UTC"),
        },
    )


def _cmd_lister(args: argparse.Namespace) -> int:
    from etl.corrections import store

    with store.connect() as con:
        found = store.corrections(con, args.edition, with_undone=args.toutes)
    if not found:
        print("Aucune correction" + (f" pour {args.edition}." if args.edition else "."))
        return 0
    for c in found:
        etat = "" if c.active else f" [annulée le {c.annulee_le:%d/%m/%Y} : {c.motif_annulation}]"
        print(f"n° {c.id} ({c.nature.label.lower()}) {c.describe_fr()}{etat}")
    return 0


def _prepared(fields: dict[str, str | None], auteur: str) -> object:
    from etl import editions, warehouse
    from etl.corrections import Correction, Kind, prepare

    edition = editions.load_editions()[int(str(fields["edition"]))]
    correction = Correction(
        edition=edition.annee,
        candidature_id=str(fields["candidature_id"] or "").strip(),
        nature=Kind(str(fields["nature"] or "").strip().lower()),
        champ=fields.get("champ") or None,
        categorie=fields.get("categorie") or None,
        valeur=fields.get("valeur"),
        motif=str(fields.get("motif") or ""),
        auteur=auteur,
    )
    con = warehouse.connect()
    try:
        return prepare(correction, edition, con)
    finally:
        con.close()


def _cmd_ajouter(args: argparse.Namespace) -> int:
    from etl.corrections import CorrectionInvalide, store

    try:
        correction = _prepared(
            {
                "edition": str(args.edition),
                "candidature_id": args.candidature,
                "nature": args.nature,
                "champ": args.champ,
                "categorie": args.prix,
                "valeur": args.valeur,
                "motif": args.motif,
            },
            args.auteur,
        )
    except (CorrectionInvalide, FileNotFoundError, KeyError, ValueError) as err:
        print(f"Correction refusée : {_message(err)}", file=sys.stderr)
        return 1
    with store.connect() as con:
        saved = store.add(con, correction)  # type: ignore[arg-type]
    print(f"Correction n° {saved.id} enregistrée : {saved.describe_fr()}")
    print("Elle s'appliquera au prochain chargement (trophees load) ou rechargement de l'app.")
    return 0


def _message(err: Exception) -> str:
    if isinstance(err, KeyError):
        return f"édition {err.args[0]} inconnue"
    if isinstance(err, ValueError) and "is not a valid Kind" in str(err):
        return "nature inconnue (territoire, valeur, exclusion, eligibilite, fusion, retrait)"
    return str(err)


def _cmd_annuler(args: argparse.Namespace) -> int:
    from etl.corrections import store

    try:
        with store.connect() as con:
            undone = store.undo(con, args.numero, args.auteur, args.motif)
    except (store.CorrectionIntrouvable, ValueError) as err:
        print(f"Annulation impossible : {err}", file=sys.stderr)
        return 1
    print(f"Correction n° {undone.id} annulée (elle reste au registre) : {undone.describe_fr()}")
    return 0


def _cmd_exporter(args: argparse.Namespace) -> int:
    from dashboard.exports import csv_bytes, xlsx_bytes
    from etl import files
    from etl.corrections import store

    with store.connect() as con:
        table = _table(list(store.corrections(con, args.edition, with_undone=True)))
    out = Path(args.sortie)
    data = (
        xlsx_bytes(table, role=None, feuille="Corrections")
        if out.suffix.lower() == ".xlsx"
        else csv_bytes(table, role=None)
    )
    files.write_atomic(out, data)
    print(f"{plural(table.height, 'correction')} {agree(table.height, 'exportée')} dans {out}.")
    return 0


def _cmd_importer(args: argparse.Namespace) -> int:
    from etl.corrections import CorrectionInvalide, store
    from etl.editions.model import normalise_header
    from etl.reading import COLONNE_LIGNE, ExportRefuse, read_export

    try:
        raw = read_export(Path(args.fichier))
    except (ExportRefuse, FileNotFoundError) as err:
        print(f"Import impossible : {err}", file=sys.stderr)
        return 1
    known = {normalise_header(h): f for h, f in COLUMNS.items()}
    names = {c: known.get(normalise_header(c)) for c in raw.frame.columns}
    missing = {"edition", "candidature_id", "nature", "motif"} - set(names.values())
    if missing:
        wanted = [h for h, f in COLUMNS.items() if f in missing]
        print(f"Import impossible : colonnes absentes : {', '.join(wanted)}.", file=sys.stderr)
        return 1
    prepared, errors, skipped = [], [], 0
    for row in raw.frame.iter_rows(named=True):
        fields = {str(names[c]): v for c, v in row.items() if names.get(c)}
        line = row.get(COLONNE_LIGNE)
        if fields.get("id"):
            skipped += 1  # an exported correction, already recorded
            continue
        try:
            prepared.append(_prepared(fields, args.auteur))
        except (CorrectionInvalide, KeyError, ValueError) as err:
            errors.append(f"ligne {line} : {_message(err)}")
    for error in errors:
        print(f"« {raw.fichier} », {error}", file=sys.stderr)
    if errors:
        print(
            f"Rien n'a été enregistré ({plural(len(errors), 'ligne')} à corriger).", file=sys.stderr
        )
        return 1
    if args.essai:
        print(
            f"Essai : {plural(len(prepared), 'correction')} {agree(len(prepared), 'valide')}, "
            "rien n'a été enregistré."
        )
        return 0
    with store.connect() as con:
        saved = [store.add(con, c) for c in prepared]  # type: ignore[arg-type]
    print(
        f"{plural(len(saved), 'correction')} {agree(len(saved), 'enregistrée')} ; "
        f"{plural(skipped, 'ligne')} déjà au registre."
    )
    return 0


def _cmd_appliquer(args: argparse.Namespace) -> int:
    from etl import warehouse
    from etl.rules import ChargementImpossible

    try:
        changed = warehouse.apply_corrections(progress=True)
    except ChargementImpossible as err:
        print(f"Application impossible : {err}", file=sys.stderr)
        return 1
    if not changed:
        print("Rien à faire : l'entrepôt applique déjà ces corrections.")
    con = warehouse.connect()
    try:
        states = con.sql(
            "select correction_id, candidature_id, etat, revue from corrections "
            "order by correction_id"
        ).fetchall()
    finally:
        con.close()
    applied = sum(1 for s in states if s[2] == "appliquee")
    review = [s for s in states if s[2] != "appliquee"]
    print(
        f"{plural(applied, 'correction')} {agree(applied, 'appliquée')}, "
        f"{plural(len(review), 'correction')} à revoir."
    )
    for number, candidature, _, why in review:
        print(f"  n° {number} ({candidature}) à revoir : {why}")
    return 0


def register(sub: Subcommands) -> None:
    """Add ``corrections`` to the ``trophees`` sub-commands."""
    corrections = sub.add_parser(
        "corrections",
        help="Corrections de l'organisateur : lister, ajouter, annuler, exporter, importer.",
    )
    actions = corrections.add_subparsers(dest="action_corrections", required=True, metavar="ACTION")

    p = actions.add_parser("lister", help="Liste les corrections actives (ou toutes).")
    p.add_argument("--edition", type=int, help="Année de l'édition (toutes par défaut).")
    p.add_argument("--toutes", action="store_true", help="Avec les corrections annulées.")
    p.set_defaults(func=_cmd_lister)

    p = actions.add_parser("ajouter", help="Enregistre une correction (motif obligatoire).")
    p.add_argument("--edition", type=int, required=True, help="Année de l'édition.")
    p.add_argument("--candidature", required=True, help="Identifiant de la candidature.")
    p.add_argument(
        "--nature",
        required=True,
        help="territoire, valeur, exclusion, eligibilite, fusion ou retrait.",
    )
    p.add_argument("--champ", help="Champ corrigé ou exclu (valeur, exclusion).")
    p.add_argument("--prix", help="Code du prix (eligibilite).")
    p.add_argument(
        "--valeur",
        help="Nouvelle valeur ; code INSEE (territoire) ; admise ou refusee (eligibilite) ; "
        "candidature gardée (fusion).",
    )
    p.add_argument("--motif", required=True, help="Pourquoi, en une phrase.")
    p.add_argument("--auteur", default="ligne de commande", help="Qui corrige.")
    p.set_defaults(func=_cmd_ajouter)

    p = actions.add_parser("annuler", help="Annule une correction (gardée au registre).")
    p.add_argument("numero", type=int, help="Numéro de la correction.")
    p.add_argument("--motif", required=True, help="Pourquoi l'annuler.")
    p.add_argument("--auteur", default="ligne de commande", help="Qui annule.")
    p.set_defaults(func=_cmd_annuler)

    p = actions.add_parser("exporter", help="Exporte le registre des corrections (CSV ou XLSX).")
    p.add_argument("--edition", type=int, help="Année de l'édition (toutes par défaut).")
    p.add_argument("--sortie", required=True, help="Fichier .csv ou .xlsx à écrire.")
    p.set_defaults(func=_cmd_exporter)

    p = actions.add_parser(
        "appliquer",
        help="Applique les corrections à l'entrepôt sans recharger d'export (les chargements "
        "les appliquent aussi).",
    )
    p.set_defaults(func=_cmd_appliquer)

    p = actions.add_parser(
        "importer", help="Importe des corrections d'un CSV/XLSX (une par ligne), tout ou rien."
    )
    p.add_argument("fichier", help="Fichier des corrections (colonnes d'un export).")
    p.add_argument("--essai", action="store_true", help="Vérifie seulement, n'enregistre rien.")
    p.add_argument("--auteur", default="ligne de commande", help="Qui corrige.")
    p.set_defaults(func=_cmd_importer)
