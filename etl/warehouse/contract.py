"""The warehouse contract: every table's columns and types, whatever the exports held.

A form that did not ask a question still gives its column, NULL, with the type the
edition configuration documents (``docs/dictionnaire.md``): the views, the app's pages,
the notebooks and the press kit can name any field of any edition. The columns of the
form fields come from every edition configured (``config/editions/*.toml``), in their
order; the other columns are fixed here. ``conform`` gives a frame exactly this shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from etl.editions import AUTRE_SUFFIX, Edition, FieldType
from etl.identity import KEYS
from etl.problems import PROBLEM_SCHEMA
from etl.rules import ChargementImpossible

FIELD_DTYPES: dict[FieldType, pl.DataType] = {
    "texte": pl.String(),
    "entier": pl.Int64(),
    "decimal": pl.Float64(),
    "pourcentage": pl.Float64(),
    "booleen": pl.Boolean(),
    "choix": pl.String(),
    "choix_multiples": pl.List(pl.String()),
    "horodatage": pl.Datetime("us", "UTC"),
    "email": pl.String(),
    "telephone": pl.String(),
    "siret": pl.String(),
    "code_postal": pl.String(),
    "commune": pl.String(),
    "departement": pl.String(),
}
"""Column type of each field type (a percentage is a fraction: 0.125 = 12,5 %)."""

_TEXT = pl.String()
DERIVED: dict[str, pl.DataType] = {
    "hors_delai": pl.Boolean(),
    "territoire_statut": _TEXT,
    "territoire_niveau": _TEXT,
    "commune_code": _TEXT,
    "epci_siren": _TEXT,
    "departement_code": _TEXT,
    "region_code": _TEXT,
    "territoire_message": _TEXT,
    "territoire_saisi": _TEXT,
    "commune_population": pl.Int64(),
    "commune_densite": pl.Float64(),
    "departement_population": pl.Int64(),
    "motifs": pl.List(_TEXT),
    "eligible": pl.Boolean(),
}
"""Columns of ``reponses`` computed by the load (after the form fields)."""

LINEAGE: dict[str, pl.DataType] = {
    "statut_version": _TEXT,
    "fichier": _TEXT,
    "edition": pl.Int32(),
    "candidature_id": _TEXT,
}

CATEGORIES: dict[str, pl.DataType] = {
    "candidature_id": _TEXT,
    "fichier": _TEXT,
    "ligne": pl.Int64(),
    "statut_version": _TEXT,
    "eligible": pl.Boolean(),
    "motifs": pl.List(_TEXT),
    "categorie_code": _TEXT,
    "rural_commune": pl.Boolean(),
    "rural_departement": pl.Boolean(),
    "rural_eligible": pl.Boolean(),
    "rural_cas_limite": pl.Boolean(),
    "rural_statut": _TEXT,
    "cas_limite": pl.Boolean(),
    "edition": pl.Int32(),
}

PROBLEMES: dict[str, pl.DataType] = {
    **PROBLEM_SCHEMA,
    "message": _TEXT,
    "fichier": _TEXT,
    "edition": pl.Int32(),
}

CHARGEMENTS: dict[str, pl.DataType] = {
    "fichier": _TEXT,
    "sha256": _TEXT,
    "edition": pl.Int64(),
    "encodage": _TEXT,
    "separateur": _TEXT,
    "fin_de_ligne": _TEXT,
    "champs_multilignes": pl.Int64(),
    "correspondance": _TEXT,
    "lignes_lues": pl.Int64(),
    "lignes_chargees": pl.Int64(),
    "lignes_rejetees": pl.Int64(),
    "doublons": pl.Int64(),
    "erreurs": pl.Int64(),
    "avertissements": pl.Int64(),
    "empreinte_config": _TEXT,
    "fictif": pl.Boolean(),
    "charge_le": pl.Datetime("us", "UTC"),
    "champs_obligatoires": pl.List(_TEXT),
}


@dataclass(frozen=True)
class Contract:
    """The schema of each table of the warehouse for a set of editions."""

    reponses: dict[str, pl.DataType]
    categories_reponses: dict[str, pl.DataType]
    problemes: dict[str, pl.DataType]
    contacts: dict[str, pl.DataType]
    chargements_table: dict[str, pl.DataType]
    champs: tuple[str, ...]
    """Form fields stored in ``reponses`` (not personal), in the editions' order."""
    personnels: tuple[str, ...]
    """Form fields stored in ``contacts`` only."""

    def table(self, name: str) -> dict[str, pl.DataType]:
        """The schema of table ``name``."""
        schema: dict[str, pl.DataType] = getattr(self, name)
        return schema


def _field_types(editions: Iterable[Edition]) -> dict[str, tuple[pl.DataType, bool, bool]]:
    """Field name → (column type, personal, open choice), across editions in order."""
    found: dict[str, tuple[pl.DataType, bool, bool]] = {}
    seen_in: dict[str, int] = {}
    for edition in editions:
        open_fields = set(edition.open_choice_fields)
        for champ in edition.champs:
            dtype = FIELD_DTYPES[champ.type]
            personal = champ.donnee_personnelle
            if champ.nom in found:
                before, was_personal, was_open = found[champ.nom]
                if before != dtype:
                    if {before, dtype} != {pl.Int64(), pl.Float64()}:
                        raise ChargementImpossible(
                            f"le champ « {champ.nom} » n'a pas le même type dans les éditions "
                            f"{seen_in[champ.nom]} et {edition.annee} : un champ garde son type "
                            "d'une édition à l'autre (sinon, donnez-lui un autre nom)."
                        )
                    dtype = pl.Float64()  # a count that became decimal stays comparable
                personal = personal or was_personal
                found[champ.nom] = (dtype, personal, was_open or champ.nom in open_fields)
            else:
                seen_in[champ.nom] = edition.annee
                found[champ.nom] = (dtype, personal, champ.nom in open_fields)
    return found


def contract_for(editions: Iterable[Edition]) -> Contract:
    """The warehouse contract for these editions (every configured one, in practice)."""
    fields = _field_types(editions)
    form: dict[str, pl.DataType] = {}
    personal: dict[str, pl.DataType] = {}
    for nom, (dtype, is_personal, is_open) in fields.items():
        (personal if is_personal else form)[nom] = dtype
        if is_open and not is_personal:
            form[nom + AUTRE_SUFFIX] = _TEXT
    reponses = {"ligne": pl.Int64(), **form, **DERIVED, **LINEAGE, **KEYS}
    contacts = {
        "candidature_id": _TEXT,
        "edition": pl.Int32(),
        "fichier": _TEXT,
        "ligne": pl.Int64(),
        **personal,
    }
    return Contract(
        reponses=reponses,
        categories_reponses=dict(CATEGORIES),
        problemes=dict(PROBLEMES),
        contacts=contacts,
        chargements_table=dict(CHARGEMENTS),
        champs=tuple(n for n in fields if not fields[n][1]),
        personnels=tuple(personal),
    )


def conform(frame: pl.DataFrame, schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """``frame`` with exactly the columns of ``schema``, in its order and types: a column
    the file did not give is NULL; time-zone-aware times are in UTC (DuckDB gives them
    back so; Paris time is for display); columns outside the contract are left out."""
    columns = []
    for name, dtype in schema.items():
        if name not in frame.columns:
            columns.append(pl.lit(None, dtype).alias(name))
            continue
        column = pl.col(name)
        current = frame.schema[name]
        if isinstance(current, pl.Datetime) and current.time_zone is not None:
            column = column.dt.convert_time_zone("UTC")
        columns.append(column if current == dtype else column.cast(dtype).alias(name))
    return frame.select(columns)


def outside(frame: pl.DataFrame, schema: Mapping[str, pl.DataType]) -> list[str]:
    """Columns of ``frame`` the contract does not know (tests keep this empty for what the
    pipeline produces)."""
    return [c for c in frame.columns if c not in schema]
