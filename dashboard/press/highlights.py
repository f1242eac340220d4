"""Highlights of the communication team (table ``mises_en_avant`` of the deliberation
store, migration ``050_communication.sql``).

Three types: « Coup de cœur » and « Citation » on a candidature, « Chiffre marquant » on
one key figure of the edition — only a figure without data warnings (see
:attr:`dashboard.press.figures.ChiffreCle.publiable`). Only the communication and
admin roles may add or remove one; texts are short (280 characters) and must not hold
an e-mail or a phone number (they may end up in the press kit).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb
import polars as pl

from dashboard.accounts import Account
from dashboard.exports.spreadsheets import looks_personal
from dashboard.jury import audit
from dashboard.jury.states import AuditAction, HighlightKind
from dashboard.jury.store import Store
from dashboard.press.figures import ChiffreCle
from etl.french import agree, plural

ROLES = frozenset({"communication", "admin"})
TEXTE_MAX = 280


class MiseEnAvantRefusee(ValueError):
    """A highlight that cannot be recorded (French message for the page)."""


def check_highlight(
    compte: Account,
    type_: str,
    texte: str,
    candidature_id: str | None,
    chiffre_code: str | None,
    chiffres: Sequence[ChiffreCle],
) -> str:
    """The cleaned text of a valid highlight, or :class:`MiseEnAvantRefusee`."""
    if compte.role not in ROLES:
        raise MiseEnAvantRefusee(
            "Seuls les rôles communication et administration mettent en avant."
        )
    if type_ not in HighlightKind._value2member_map_:
        raise MiseEnAvantRefusee(f"Type de mise en avant inconnu : « {type_} ».")
    propre = " ".join(texte.split())
    if not propre:
        raise MiseEnAvantRefusee("Le texte est vide.")
    if len(propre) > TEXTE_MAX:
        raise MiseEnAvantRefusee(
            f"Texte trop long ({len(propre)} caractères, {TEXTE_MAX} au plus)."
        )
    if looks_personal(propre):
        raise MiseEnAvantRefusee(
            "Le texte contient une adresse e-mail ou un numéro de téléphone : "
            "aucune donnée personnelle dans les sorties de communication."
        )
    if type_ == HighlightKind.CHIFFRE_MARQUANT:
        figure = next((c for c in chiffres if c.code == chiffre_code), None)
        if figure is None:
            raise MiseEnAvantRefusee("Ce chiffre n'est pas parmi les chiffres clés de l'édition.")
        if not figure.publiable:
            raise MiseEnAvantRefusee(
                f"« {figure.libelle} » ne peut pas devenir un chiffre marquant : "
                f"{plural(figure.avertissements, 'avertissement')} de données "
                f"{agree(figure.avertissements, 'porte', 'portent')} sur ce chiffre "
                "(voir la page Qualité des données)."
            )
    elif not candidature_id:
        raise MiseEnAvantRefusee(
            f"Un « {HighlightKind(type_).label} » porte sur une candidature : choisissez-la."
        )
    return propre


def add_highlight(
    store: Store,
    compte: Account,
    edition: int,
    type_: str,
    texte: str,
    *,
    candidature_id: str | None = None,
    chiffre_code: str | None = None,
    chiffres: Sequence[ChiffreCle] = (),
) -> int:
    """Record a highlight (checked by :func:`check_highlight`); its id."""
    propre = check_highlight(compte, type_, texte, candidature_id, chiffre_code, chiffres)

    def work(con: duckdb.DuckDBPyConnection) -> int:
        row = con.execute(
            "insert into mises_en_avant (edition, type, candidature_id, chiffre_code, texte, "
            "auteur) values (?, ?, ?, ?, ?, ?) returning id",
            [edition, type_, candidature_id, chiffre_code, propre, compte.identifiant],
        ).fetchall()
        cible = candidature_id or chiffre_code
        detail = f"ajout « {HighlightKind(type_).label} » ({edition})"
        audit.record(con, compte.identifiant, AuditAction.MISE_EN_AVANT, cible, detail)
        return int(row[0][0])

    return store.write(work)


def remove_highlight(store: Store, compte: Account, highlight_id: int) -> None:
    """Delete one highlight (communication and admin roles only)."""
    if compte.role not in ROLES:
        raise MiseEnAvantRefusee(
            "Seuls les rôles communication et administration mettent en avant."
        )

    def work(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("delete from mises_en_avant where id = ?", [highlight_id])
        audit.record(
            con, compte.identifiant, AuditAction.MISE_EN_AVANT, str(highlight_id), "retrait"
        )

    store.write(work)


SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "edition": pl.Int32(),
    "type": pl.String(),
    "candidature_id": pl.String(),
    "chiffre_code": pl.String(),
    "texte": pl.String(),
    "auteur": pl.String(),
    "horodatage": pl.Datetime("us", "UTC"),
}


def highlights(con: duckdb.DuckDBPyConnection, edition: int) -> pl.DataFrame:
    """The highlights of an edition, oldest first (empty before the migration exists)."""
    try:
        found: pl.DataFrame = con.sql(
            "select id, edition, type, candidature_id, chiffre_code, texte, auteur, horodatage "
            "from mises_en_avant where edition = ? order by id",
            params=[edition],
        ).pl()
    except duckdb.CatalogException:
        return pl.DataFrame(schema=SCHEMA)
    return found


def public_highlights(
    frame: pl.DataFrame,
    hidden_ids: set[str],
    names: Mapping[str, str] | None = None,
    figures: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Highlights fit for a public output: none on a candidature in ``hidden_ids``
    (laureates under embargo), without the author (a person's login), candidatures and
    figures named (``names``: id → « structure — projet », ``figures``: code → label)."""
    kept = frame.filter(
        pl.col("candidature_id").is_null() | ~pl.col("candidature_id").is_in(list(hidden_ids))
    )
    return kept.select(
        pl.col("type")
        .replace_strict({k.value: k.label for k in HighlightKind}, default=pl.col("type"))
        .alias("Type"),
        pl.col("candidature_id")
        .replace_strict(dict(names or {}), default=None, return_dtype=pl.String)
        .alias("Candidature"),
        pl.col("chiffre_code")
        .replace_strict(dict(figures or {}), default=None, return_dtype=pl.String)
        .alias("Chiffre"),
        pl.col("texte").alias("Texte"),
    )
