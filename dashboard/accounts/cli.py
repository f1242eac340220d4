"""``trophees comptes …``: accounts of the app (argument parsing and console output only).

The work lives in ``dashboard.accounts``; ``demo`` refuses unless every file loaded in the
warehouse is fictitious, so demo passwords never guard real candidatures.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import dataclass
from pathlib import Path

from dashboard.accounts import (
    ROLE_LABELS,
    Account,
    AccountRecord,
    AccountStore,
    InvalidAccount,
    client_key,
    random_password,
)
from dashboard.navigation import ROLES
from etl import paths
from etl import warehouse as entrepot
from etl.cli import Subcommands
from etl.french import agree, plural


class EntrepotNonFictif(RuntimeError):
    """The warehouse is missing or holds real data: no demo accounts (French message)."""


def entrepot_fictif(warehouse: Path) -> None:
    """Raise unless ``warehouse`` exists and every file loaded in it is fictitious."""
    if not warehouse.exists():
        raise EntrepotNonFictif(
            f"Aucun entrepôt dans {warehouse} : chargez d'abord les données fictives "
            "(trophees demo)."
        )
    con = entrepot.connect(warehouse)
    try:
        fictitious = entrepot.is_fictitious(con)
    finally:
        con.close()
    if not fictitious:
        raise EntrepotNonFictif(
            "Comptes de démonstration refusés : l'entrepôt contient des données réelles. "
            "Créez des comptes nominatifs avec « trophees comptes ajouter »."
        )


@dataclass(frozen=True)
class Juge:
    """Organisation of a demo juror, taken from the fictitious candidatures."""

    organisation: str
    departement: str | None
    region: str | None
    reseau: str | None


def juges_fictifs(warehouse: Path, nombre: int = 4) -> list[Juge]:
    """Organisations of ``nombre`` fictitious candidatures (different départements), so
    the conflict-of-interest hints of the jury pages have material to show."""
    con = entrepot.connect(warehouse)
    try:
        rows = con.sql(
            """
            select structure_nom, departement_code, region_code, structure_type
            from candidatures
            where structure_nom is not null and departement_code is not null
            qualify row_number() over (partition by departement_code
                                       order by candidature_id) = 1
            order by candidature_id
            limit ?
            """,
            params=[nombre],
        ).fetchall()
    finally:
        con.close()
    return [Juge(str(r[0]), r[1], r[2], r[3]) for r in rows]


DEMO_COMPTES: tuple[tuple[str, str, str], ...] = (
    ("demo-admin", "Administration (démo)", "admin"),
    ("demo-communication", "Communication (démo)", "communication"),
    ("demo-analyste", "Analyste (démo)", "analyste"),
)


def jures_demo(warehouse: Path) -> list[Account]:
    """The demo jurors: those of the fictitious deliberation (``trophees jury demo``) so a
    demo juror signs in to their own assignments; otherwise four jurors whose
    organisations are those of fictitious candidatures."""
    try:
        from dashboard.jury.demo import DEMO_JURES
    except ImportError:
        return [
            Account(
                f"demo-jury-{rang}",
                f"Juré·e {rang} (démo)",
                "jury",
                juge.organisation,
                juge.departement,
                juge.region,
                juge.reseau,
            )
            for rang, juge in enumerate(juges_fictifs(warehouse), start=1)
        ]
    return list(DEMO_JURES)


def create_demo_accounts(store: AccountStore, warehouse: Path) -> list[tuple[AccountRecord, str]]:
    """One demo account per role plus the demo jurors, each with a new random password.

    Refuses on a warehouse that is not entirely fictitious, and never replaces an account
    that is not itself a demo account.
    """
    entrepot_fictif(warehouse)
    existants = store.read()
    demandes = [Account(i, n, r) for i, n, r in DEMO_COMPTES] + jures_demo(warehouse)
    for demande in demandes:
        ancien = existants.get(demande.identifiant)
        if ancien is not None and not ancien.demo:
            raise InvalidAccount(
                f"Le compte « {demande.identifiant} » existe et n'est pas un compte de "
                "démonstration : rien n'est remplacé."
            )
    crees = []
    for c in demandes:
        mot_de_passe = random_password()
        enregistrement = store.add(
            c.identifiant,
            c.nom,
            c.role,
            mot_de_passe,
            organisation=c.organisation,
            departement=c.departement,
            region=c.region,
            reseau=c.reseau,
            demo=True,
            replace_existing=True,
        )
        crees.append((enregistrement, mot_de_passe))
    return crees


def _lire_mot_de_passe(args: argparse.Namespace) -> str | None:
    if args.generer:
        return None
    if args.mot_de_passe_stdin:
        return sys.stdin.readline().rstrip("\n")
    premier = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Mot de passe (encore) : ") != premier:
        raise InvalidAccount("Les deux saisies du mot de passe diffèrent.")
    return premier


def _cmd_ajouter(args: argparse.Namespace) -> int:
    comptes = AccountStore()
    try:
        genere: str | None = None
        if args.oidc:
            mot_de_passe = None
        else:
            mot_de_passe = _lire_mot_de_passe(args)
            if mot_de_passe is None:
                genere = mot_de_passe = random_password()
        e = comptes.add(
            args.identifiant,
            args.nom,
            args.role,
            mot_de_passe,
            email=args.email,
            organisation=args.organisation,
            departement=args.departement,
            region=args.region,
            reseau=args.reseau,
            replace_existing=args.remplacer,
        )
    except InvalidAccount as err:
        print(str(err), file=sys.stderr)
        return 1
    print(f"Compte « {e.account.identifiant} » ({e.account.role}) enregistré dans {comptes.file}.")
    if genere:
        print(f"Mot de passe (affiché une seule fois) : {genere}")
    return 0


def _cmd_modifier(args: argparse.Namespace) -> int:
    comptes = AccountStore()
    try:
        mot_de_passe = None
        genere = None
        if args.mot_de_passe:
            mot_de_passe = _lire_mot_de_passe(args)
            if mot_de_passe is None:
                genere = mot_de_passe = random_password()
        e = comptes.update(
            args.identifiant,
            name=args.nom,
            role=args.role,
            email=args.email,
            password=mot_de_passe,
            active=True if args.activer else None,
        )
    except InvalidAccount as err:
        print(str(err), file=sys.stderr)
        return 1
    etat = "actif" if e.active else "désactivé"
    print(f"Compte « {e.account.identifiant} » modifié ({e.account.role}, {etat}).")
    if genere:
        print(f"Nouveau mot de passe (affiché une seule fois) : {genere}")
    return 0


def _cmd_desactiver(args: argparse.Namespace) -> int:
    try:
        e = AccountStore().disable(args.identifiant)
    except InvalidAccount as err:
        print(str(err), file=sys.stderr)
        return 1
    print(f"Compte « {e.account.identifiant} » désactivé : plus aucune connexion possible.")
    return 0


def _cmd_deverrouiller(args: argparse.Namespace) -> int:
    store = AccountStore()
    if not args.adresse and not args.identifiant:
        print("Indiquez un identifiant, une adresse (--adresse) ou les deux.", file=sys.stderr)
        return 1
    if args.adresse:
        store.failures.forget_client(client_key(args.adresse))
        print(f"Échecs de connexion depuis l'adresse {args.adresse} oubliés.")
    if args.identifiant:
        store.unlock(args.identifiant)
        print(f"Échecs de connexion de « {args.identifiant} » oubliés (toutes adresses).")
    return 0


def _cmd_lister(args: argparse.Namespace) -> int:
    comptes = AccountStore()
    enregistrements = comptes.read()
    if not enregistrements:
        print(f"Aucun compte dans {comptes.file}.")
        return 0
    print(f"{plural(len(enregistrements), 'compte')} dans {comptes.file} :")
    for e in enregistrements.values():
        c = e.account
        details = [ROLE_LABELS.get(c.role, c.role), "actif" if e.active else "désactivé"]
        if e.demo:
            details.append("démonstration")
        if e.email:
            details.append(f"OIDC {e.email}")
        if not e.password_hash:
            details.append("sans mot de passe")
        echecs, bloque = comptes.failure_state(c.identifiant)
        if bloque is not None:
            details.append("connexion bloquée")
        elif echecs:
            details.append(f"{plural(echecs, 'échec')} {agree(echecs, 'récent')}")
        if c.organisation:
            details.append(c.organisation)
        print(f"  {c.identifiant:<24} {c.nom} — {', '.join(details)}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    comptes = AccountStore()
    try:
        crees = create_demo_accounts(comptes, paths.warehouse_path())
    except (EntrepotNonFictif, InvalidAccount) as err:
        print(str(err), file=sys.stderr)
        return 1
    print("Comptes de DÉMONSTRATION (données fictives seulement ; nouveaux mots de passe) :")
    for e, mot_de_passe in crees:
        c = e.account
        role = ROLE_LABELS.get(c.role, c.role)
        organisation = f" — {c.organisation} ({c.departement})" if c.organisation else ""
        print(f"  {c.identifiant:<20} {mot_de_passe}  {role}{organisation}")
    print(f"Fichier : {comptes.file}")
    return 0


def register(sub: Subcommands) -> None:
    """Add ``trophees comptes`` and its sub-commands to ``sub``."""
    p = sub.add_parser(
        "comptes",
        help="Gère les comptes de l'application (ajout, désactivation, liste, démonstration).",
        description="Comptes de l'application : fichier hors git, empreintes argon2id "
        "(docs/comptes.md).",
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    a = actions.add_parser("ajouter", help="Crée un compte (mot de passe saisi ou généré).")
    a.add_argument("identifiant", help="Identifiant de connexion (minuscules, sans accent).")
    a.add_argument("--nom", required=True, help="Nom affiché (prénom et nom).")
    a.add_argument("--role", required=True, choices=ROLES, help="Rôle du compte.")
    a.add_argument("--email", help="Adresse admise par la connexion OIDC (st.login).")
    a.add_argument("--organisation", help="Organisation d'un juré (conflits d'intérêts).")
    a.add_argument("--departement", help="Code INSEE du département de l'organisation.")
    a.add_argument("--region", help="Code INSEE de la région de l'organisation.")
    a.add_argument("--reseau", help="Réseau de l'organisation (PLIE, MDE…).")
    _options_mot_de_passe(a)
    a.add_argument(
        "--oidc", action="store_true", help="Sans mot de passe : connexion OIDC seulement."
    )
    a.add_argument("--remplacer", action="store_true", help="Remplace un compte existant.")
    a.set_defaults(func=_cmd_ajouter)

    m = actions.add_parser("modifier", help="Change le nom, le rôle, l'e-mail ou le mot de passe.")
    m.add_argument("identifiant", help="Identifiant du compte.")
    m.add_argument("--nom", help="Nouveau nom affiché.")
    m.add_argument("--role", choices=ROLES, help="Nouveau rôle.")
    m.add_argument("--email", help="Nouvelle adresse OIDC.")
    m.add_argument("--mot-de-passe", action="store_true", help="Change le mot de passe.")
    _options_mot_de_passe(m)
    m.add_argument("--activer", action="store_true", help="Réactive un compte désactivé.")
    m.set_defaults(func=_cmd_modifier)

    d = actions.add_parser("desactiver", help="Désactive un compte (il reste pour l'historique).")
    d.add_argument("identifiant", help="Identifiant du compte.")
    d.set_defaults(func=_cmd_desactiver)

    v = actions.add_parser(
        "deverrouiller",
        help="Oublie les échecs de connexion d'un identifiant (toutes adresses) ou d'une adresse.",
    )
    v.add_argument("identifiant", nargs="?", help="Identifiant bloqué.")
    v.add_argument("--adresse", help="Adresse IP bloquée (toutes ses tentatives).")
    v.set_defaults(func=_cmd_deverrouiller)

    lst = actions.add_parser("lister", help="Liste les comptes (jamais les empreintes).")
    lst.set_defaults(func=_cmd_lister)

    demo = actions.add_parser(
        "demo",
        help="Crée un compte de démonstration par rôle et les affiche (données fictives).",
    )
    demo.set_defaults(func=_cmd_demo)


def _options_mot_de_passe(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--generer", action="store_true", help="Génère un mot de passe aléatoire et l'affiche."
    )
    p.add_argument(
        "--mot-de-passe-stdin",
        dest="mot_de_passe_stdin",
        action="store_true",
        help="Lit le mot de passe sur l'entrée standard (une ligne).",
    )
