"""Questions of the « Qualité des données » page: loads, problems, duplicates, territories.

The page is for the organiser: it shows raw values as typed (that is how a problem gets
fixed), but never contact details — a problem raised on a personal field (e-mail,
telephone, contact name…) has its value masked, in the value column and in the message.

Loads and problems follow the shared « Édition » filter only (a rejected row has no
territory nor category); territories to check follow every shared filter.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import polars as pl
import streamlit as st

from dashboard import db, queries
from dashboard.filters import Filters
from etl.corrections.proposal import Proposal, propose
from etl.frames import apply
from etl.french import format_datetime, format_integer
from etl.pipeline import MASQUE
from etl.problems import RULE_LABELS, rule_label
from etl.semantic.naming import candidature_label

"""What replaces a personal value in a problem's value and message."""

SEVERITES = {"erreur": "Erreur", "avertissement": "Avertissement"}
"""Severity code → French label."""

SEPARATEURS = {
    ",": "virgule (,)",
    ";": "point-virgule (;)",
    "\t": "tabulation",
    "|": "barre verticale (|)",
}
"""CSV separator → how it is named on the page."""

REGLES_DOUBLONS = ("doublon_identique", "version_remplacee")
NIVEAUX = {"commune": "Commune", "epci": "EPCI", "departement": "Département", "region": "Région"}
"""Territory levels (``territoire_niveau``) as people read them."""
_NAME_PARTS = ("structure_nom", "projet_titre")
"""Rules recording a duplicate row or a version superseded by a later answer."""


def _edition_condition(edition: int | None) -> tuple[str, list[object]]:
    return ("true", []) if edition is None else ("edition = ?", [edition])


@st.cache_data(ttl=60, max_entries=16)
def _loads(version: int, edition: int | None) -> pl.DataFrame:
    condition, params = _edition_condition(edition)
    frame = db.frame(
        f"""
        select fichier, edition, encodage, separateur, correspondance, lignes_lues,
               lignes_chargees, lignes_rejetees, doublons, erreurs, avertissements, fictif,
               charge_le, sha256
        from chargements where {condition} order by charge_le desc, fichier
        """,  # noqa: S608 - condition from code, values bound
        params,
    )
    return pl.DataFrame(
        {
            "Fichier": frame["fichier"],
            "Édition": frame["edition"],
            "Encodage": frame["encodage"].fill_null("— (classeur XLSX)"),
            "Séparateur": frame["separateur"]
            .replace_strict(SEPARATEURS, default=frame["separateur"], return_dtype=pl.String)
            .fill_null("—"),
            "Correspondance des intitulés": frame["correspondance"],
            "Lignes lues": frame["lignes_lues"],
            "Candidatures chargées": frame["lignes_chargees"],
            "Lignes écartées": frame["lignes_rejetees"],
            "Doublons et versions remplacées": frame["doublons"],
            "Erreurs": frame["erreurs"],
            "Avertissements": frame["avertissements"],
            "Données fictives": frame["fictif"].replace_strict(
                {True: "oui", False: "non"}, return_dtype=pl.String
            ),
            "Chargé le": [format_datetime(t) for t in frame["charge_le"]],
            "Empreinte SHA-256": frame["sha256"],
        }
    )


def loads(edition: int | None) -> pl.DataFrame:
    """Lineage of every file loaded (one row per file), columns named in French."""
    return _loads(queries.version(), edition)


def masked_message(row: dict[str, object]) -> str:
    """A problem's message with its (personal) value replaced by :data:`MASQUE`.

    The explanation stays (« adresse e-mail invalide »); if the value still appears once
    the quoted form is replaced, the message is rewritten without it.
    """
    message, valeur = str(row["message"] or ""), str(row["valeur"])
    masked = message.replace(f"« {valeur} »", f"« {MASQUE} »")
    if valeur in masked:
        masked = (
            f"Fichier « {row['fichier']} », ligne {row['ligne']}, colonne « {row['colonne']} » : "
            f"valeur masquée (donnée personnelle) (règle « {rule_label(str(row['regle']))} »)."
        )
    return masked


def mask_personal(problems: pl.DataFrame, personal_fields: Collection[str]) -> pl.DataFrame:
    """Problems whose value and message no longer show a personal field's value."""
    personal = (
        problems["champ"].is_in(list(personal_fields)).fill_null(False)
        & problems["valeur"].is_not_null()
        & (problems["valeur"] != "")
    ).fill_null(False)
    messages = [
        masked_message(row) if hide else row["message"]
        for row, hide in zip(problems.iter_rows(named=True), personal, strict=True)
    ]
    return problems.with_columns(
        pl.Series("message", messages, dtype=pl.String),
        pl.when(pl.Series(personal))
        .then(pl.lit(MASQUE))
        .otherwise(pl.col("valeur"))
        .alias("valeur"),
    )


def personal_fields() -> set[str]:
    """Every field an edition marks as personal data (contacts, e-mails, telephones)."""
    return {f for e in queries.configured_editions() for f in e.champs_personnels}


@st.cache_data(ttl=60, max_entries=16)
def _problems(version: int, edition: int | None) -> pl.DataFrame:
    condition, params = _edition_condition(edition)
    frame = db.frame(
        f"""
        select p.fichier, p.edition, p.ligne, p.colonne, p.champ, p.valeur, p.regle,
               p.severite, p.rejette_ligne, p.message, r.candidature_id
        from rejets p
        left join (
            select edition, fichier, ligne, min(candidature_id) as candidature_id
            from reponses group by all
        ) r using (edition, fichier, ligne)
        where {condition}
        order by p.edition desc, p.fichier, p.ligne, p.regle
        """,  # noqa: S608 - condition from code, values bound
        params,
    )
    return mask_personal(frame, personal_fields())


def problems(edition: int | None) -> pl.DataFrame:
    """Every problem raised while loading (errors and warnings), personal values masked,
    with the candidature of its line (null for a rejected line)."""
    return _problems(queries.version(), edition)


def filter_problems(
    frame: pl.DataFrame,
    fichiers: Sequence[str] = (),
    severites: Sequence[str] = (),
    regles: Sequence[str] = (),
) -> pl.DataFrame:
    """Problems kept by the page's own filters (an empty choice keeps everything)."""
    for column, chosen in (("fichier", fichiers), ("severite", severites), ("regle", regles)):
        if chosen:
            frame = frame.filter(pl.col(column).is_in(list(chosen)))
    return frame


def _labelled_rule() -> pl.Expr:
    return pl.col("regle").replace_strict(
        RULE_LABELS, default=pl.col("regle"), return_dtype=pl.String
    )


def named_messages(frame: pl.DataFrame, names: Mapping[str, str]) -> pl.Series:
    """Each problem's message, a duplicate's candidature named « structure — projet »
    instead of by its identifier (the warehouse's message quotes the id)."""
    return pl.Series(
        "message",
        [
            m.replace(f"candidature {v}", f"candidature « {names[v]} »")
            if r in REGLES_DOUBLONS and v in names and m
            else m
            for m, r, v in frame.select("message", "regle", "valeur").iter_rows()
        ],
        pl.String,
    )


def proposals(frame: pl.DataFrame, names: Mapping[str, str]) -> list[Proposal | None]:
    """The correction that fits each problem of ``frame`` (None when there is none, or
    when its line is no current candidature: ``names`` holds the current ones)."""
    editions = {e.annee: e for e in queries.configured_editions()}
    return [
        propose(regle, champ, valeur, editions[edition])
        if cid in names and edition in editions
        else None
        for regle, champ, valeur, edition, cid in frame.select(
            "regle", "champ", "valeur", "edition", "candidature_id"
        ).iter_rows()
    ]


def problems_table(frame: pl.DataFrame, names: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Problems as shown and downloaded: French column names, labels instead of codes,
    candidatures by name (``names``: id → name, see :func:`candidature_names`) and the
    correction that would settle each one."""
    names = names or {}
    if not frame.is_empty():
        frame = frame.with_columns(named_messages(frame, names))
    offers = proposals(frame, names)
    return frame.select(
        pl.col("fichier").alias("Fichier"),
        pl.col("ligne").alias("Ligne"),
        pl.Series(
            "Candidature", [names.get(c or "", "") for c in frame["candidature_id"]], pl.String
        ),
        # beside the candidature: seen without scrolling the table sideways
        pl.Series("Correction proposée", [o.action if o else "" for o in offers], pl.String),
        pl.col("severite")
        .replace_strict(SEVERITES, default=pl.col("severite"), return_dtype=pl.String)
        .alias("Sévérité"),
        pl.col("message").alias("Message"),
        _labelled_rule().alias("Règle"),
        pl.col("colonne").alias("Colonne"),
        pl.col("valeur").alias("Valeur saisie"),
        pl.when(pl.col("rejette_ligne"))
        .then(pl.lit("oui"))
        .otherwise(pl.lit("non"))
        .alias("Ligne écartée"),
    )


def problem_summary(frame: pl.DataFrame) -> pl.DataFrame:
    """How many problems each rule raised, and how many rows it set aside."""
    return (
        frame.group_by("regle", "severite")
        .agg(
            pl.len().alias("Problèmes"),
            pl.col("rejette_ligne").sum().cast(pl.Int64).alias("Lignes écartées"),
        )
        .sort(["severite", "Problèmes", "regle"], descending=[True, True, False])
        .select(
            _labelled_rule().alias("Règle"),
            pl.col("severite")
            .replace_strict(SEVERITES, default=pl.col("severite"), return_dtype=pl.String)
            .alias("Sévérité"),
            "Problèmes",
            "Lignes écartées",
        )
    )


def duplicates_table(frame: pl.DataFrame, names: Mapping[str, str]) -> pl.DataFrame:
    """Identical rows and superseded versions, with the candidature that was kept, named
    « structure — projet » (``names``: candidature id → name; the id comes last)."""
    found = frame.filter(pl.col("regle").is_in(REGLES_DOUBLONS))
    return found.select(
        pl.col("fichier").alias("Fichier"),
        pl.col("ligne").alias("Ligne"),
        _labelled_rule().alias("Cas"),
        pl.Series(
            "Candidature retenue",
            [names.get(v or "", v or "") for v in found["valeur"]],
            pl.String,
        ),
        pl.col("valeur").alias("Identifiant"),
    )


@st.cache_data(ttl=60, max_entries=8)
def _names(version: int) -> dict[str, str]:
    frame = db.frame("select candidature_id, structure_nom, projet_titre from candidatures")
    return dict(
        zip(
            frame["candidature_id"],
            (
                candidature_label(s, t)
                for s, t in zip(frame["structure_nom"], frame["projet_titre"], strict=True)
            ),
            strict=True,
        )
    )


def candidature_names() -> dict[str, str]:
    """Candidature id → « structure — projet », every edition."""
    return _names(queries.version())


@st.cache_data(ttl=60, max_entries=32)
def _territories(version: int, filters: Filters) -> pl.DataFrame:
    condition, params = queries.where(filters)
    frame = db.frame(
        f"""
        select structure_nom, projet_titre, edition as "Édition", fichier as "Fichier",
               ligne as "Ligne", territoire_saisi as "Territoire saisi",
               coalesce(territoire_statut, 'non résolu') as "Statut",
               territoire_niveau as "Niveau retenu", departement_code as "Département retenu",
               territoire_message as "Explication", candidature_id as "Identifiant"
        from candidatures c
        where {condition} and c.territoire_statut is distinct from 'exact'
        order by edition desc, fichier, ligne
        """,  # noqa: S608 - condition from code, values bound
        params,
    ).with_columns(pl.col("Niveau retenu").replace_strict(NIVEAUX, default=pl.col("Niveau retenu")))
    labels = [
        candidature_label(s, t)
        for s, t in zip(frame["structure_nom"], frame["projet_titre"], strict=True)
    ]
    return frame.select(pl.Series("Candidature", labels, pl.String), pl.exclude(_NAME_PARTS))


def territories_to_check(filters: Filters) -> pl.DataFrame:
    """Candidatures whose territory is not resolved exactly (warning, ambiguous, unknown)."""
    return _territories(queries.version(), filters)


def french_counts(frame: pl.DataFrame) -> pl.DataFrame:
    """Integer columns written the French way for display (``1 234``); « Ligne » and
    « Édition » stay numbers (identifiers, not quantities)."""
    return frame.with_columns(
        apply(frame[name], format_integer)
        for name, dtype in frame.schema.items()
        if dtype.is_integer() and name not in ("Ligne", "Édition")
    )
