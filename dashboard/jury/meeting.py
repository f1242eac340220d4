"""The jury's meeting (« Séance du jury »): one prize at a time, what the jury decides on.

Pure reads of the store and of the candidatures to judge; no streamlit import (the
séance page, the procès-verbal and the public outputs of issue 18 use the same
functions). Everything a person reads is French and names candidatures by
« structure — projet » (:mod:`etl.semantic.naming`), never by identifier.

- :func:`prize_sheet` — the ranked candidates of a prize with the methods side by side,
  their key figures, percentile within the prize, territory and eligibility, the
  decisions and their justifications, the close calls in plain French and the recusals;
- :func:`close_calls` — « X et Y s'inversent selon la méthode », « fort désaccord entre
  jurés », « une seule note »…;
- :func:`set_presences` / :func:`presences` — the jurors present (procès-verbal);
- :func:`store_version` — a number that changes with every recorded action (decisions
  included), so that an open séance can redraw when another screen decides.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

import duckdb
import polars as pl

from dashboard.jury import audit, decisions
from dashboard.jury.rules import JuryRules
from dashboard.jury.states import AuditAction, Decision
from dashboard.jury.store import Store
from etl.editions.model import Category
from etl.french import agree, format_integer, plural
from etl.semantic import indicators, naming

METHODS = {"rang_moyenne": "la moyenne", "rang_mediane": "la médiane"}
"""Ranks compared with the normalised ranking, and how a sentence names them."""


@dataclass(frozen=True)
class PrizeSheet:
    """What the séance shows for one prize.

    ``candidats``: one row per scored candidature, best first — ``candidature_id``,
    ``libelle`` (« structure — projet »), ``structure_nom``, ``rang_normalise``,
    ``rang_moyenne``, ``rang_mediane``, ``note_normalisee``, ``moyenne``, ``mediane``,
    ``nb_notes``, ``abstentions``, ``ecart_type_normalise``, ``decision_serree``,
    ``motifs_serree``, ``niveau`` (a ``Decision`` value or null), ``justification``,
    ``heures_insertion``, ``centile_heures`` (0–100 within the prize), ``territoire``,
    ``eligibilite`` (French), ``cas_limite``.
    """

    category: Category
    candidats: pl.DataFrame
    close_calls: tuple[str, ...]
    recusations: tuple[str, ...]
    places: int
    """How many leading places decide (``max(preselection, laureats_max)``)."""
    laureats: int
    places_restantes: int
    mentions: int

    def hiding(self, ids: Collection[str]) -> PrizeSheet:
        """The sheet as a juror recused from ``ids`` may read it: without those
        candidatures (nor the close calls naming them), and without the recusals (they
        name other jurors' conflicts)."""
        if not ids:
            return replace(self, recusations=())
        kept = self.candidats.filter(~pl.col("candidature_id").is_in(list(ids)))
        return replace(
            self,
            candidats=kept,
            close_calls=close_calls(kept, self.places, _names(kept)),
            recusations=(),
        )

    @property
    def quota_fr(self) -> str:
        """« 1 lauréat sur 1, 0 place restante » (and mentions when the prize has some)."""
        text = (
            f"{plural(self.laureats, 'lauréat')} sur {self.category.laureats_max}, "
            f"{plural(self.places_restantes, 'place restante', 'places restantes')}"
        )
        if self.category.mentions_max:
            text += f" ; {plural(self.mentions, 'mention')} sur {self.category.mentions_max}"
        return text


def territory_label(row: Mapping[str, object]) -> str:
    """« Montfermeil (Seine-Saint-Denis) », or the département, or the région."""
    commune, departement, region = (
        row.get("commune_nom"),
        row.get("departement_nom"),
        row.get("region_nom"),
    )
    if commune and departement:
        return f"{commune} ({departement})"
    return str(departement or region or indicators.NON_RENSEIGNE)


def eligibility_label(row: Mapping[str, object]) -> str:
    """Eligibility in the prize as the jury reads it (rural test, borderline case)."""
    if row.get("cas_limite"):
        return "cas limite : le jury tranche"
    if row.get("eligible") is None:
        return "éligibilité à vérifier"
    rural = row.get("rural_statut")
    return f"éligible (rural : {rural})" if rural else "éligible"


def _names(frame: pl.DataFrame) -> dict[str, str]:
    return {
        str(i): str(s or naming.STRUCTURE_SANS_NOM)
        for i, s in zip(frame["candidature_id"], frame["structure_nom"], strict=True)
    }


def close_calls(table: pl.DataFrame, places: int, noms: Mapping[str, str]) -> tuple[str, ...]:
    """The close calls of a prize's results, in plain French, most decisive first.

    ``table``: ``decisions.category_results`` rows (best first); ``noms``: candidature id
    → the name people use. Inversions are reported when they touch the ``places`` that
    decide: two candidatures whose order the mean or the median reverses.
    """
    rows = list(table.iter_rows(named=True))
    sentences: list[str] = []
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if min(a["rang_normalise"], b["rang_normalise"]) > places:
                continue
            reversed_by = [
                label
                for column, label in METHODS.items()
                if a["rang_normalise"] < b["rang_normalise"] and a[column] > b[column]
            ]
            if reversed_by:
                first, second = noms[a["candidature_id"]], noms[b["candidature_id"]]
                sentences.append(
                    f"{first} et {second} s'inversent selon la méthode : "
                    f"{' et '.join(reversed_by)} {agree(len(reversed_by), 'met', 'mettent')} "
                    f"{second} devant."
                )
    ties: dict[float, list[str]] = {}
    for row in rows:
        if "ex æquo" in row["motifs_serree"]:
            ties.setdefault(round(row["note_normalisee"], 6), []).append(
                noms[row["candidature_id"]]
            )
    for names in ties.values():
        sentences.append(f"{' et '.join(names)} sont ex æquo (même note normalisée).")
    for row in rows:
        if "désaccord fort entre jurés" in row["motifs_serree"]:
            sentences.append(f"Fort désaccord entre jurés sur {noms[row['candidature_id']]}.")
        if row["nb_notes"] == 1:
            sentences.append(f"{noms[row['candidature_id']]} n'a qu'une seule note.")
    return tuple(sentences)


def _percentiles(judged: pl.DataFrame) -> pl.DataFrame:
    found = indicators.rangs_centiles(
        judged.select("candidature_id", "heures_insertion"),
        judged.select("candidature_id", "heures_insertion"),
        ["heures_insertion"],
    )
    return found.select("candidature_id", pl.col("centile").alias("centile_heures"))


def prize_sheet(
    con: duckdb.DuckDBPyConnection,
    edition: int,
    category: Category,
    rules: JuryRules,
    candidatures: pl.DataFrame,
    jurors: Mapping[str, str],
) -> PrizeSheet:
    """Everything the séance shows for one prize (see :class:`PrizeSheet`).

    ``candidatures``: ``candidatures.candidatures_to_judge(edition)`` rows;
    ``jurors``: juror identifier → name (their account's name).
    """
    judged = candidatures.filter(pl.col("categorie_code") == category.code)
    table = decisions.category_results(con, edition, category, rules)
    places = max(rules.preselection, category.laureats_max)
    described = judged.select(
        "candidature_id",
        "structure_nom",
        "projet_titre",
        "heures_insertion",
        "cas_limite",
        pl.Series(
            "territoire", [territory_label(r) for r in judged.iter_rows(named=True)], pl.String
        ),
        pl.Series(
            "eligibilite",
            [eligibility_label(r) for r in judged.iter_rows(named=True)],
            pl.String,
        ),
    ).join(_percentiles(judged), on="candidature_id", how="left")
    candidats = table.join(described, on="candidature_id", how="left", maintain_order="left")
    candidats = naming.with_labels(candidats.with_columns(edition=pl.lit(edition)))
    noms = _names(candidats)
    recused = con.sql(
        "select jure, candidature_id from recusations where edition = ? order by jure",
        params=[edition],
    ).pl()
    labels = dict(zip(judged["candidature_id"], naming.with_labels(judged)["libelle"], strict=True))
    recusations = tuple(
        f"{jurors.get(j, j)} (récusé·e pour {labels[c]})"
        for j, c in zip(recused["jure"], recused["candidature_id"], strict=True)
        if c in labels
    )
    chosen = candidats["niveau"].to_list()
    mentions = sum(1 for n in chosen if n == Decision.MENTION)
    laureats = sum(1 for n in chosen if n == Decision.LAUREAT)
    return PrizeSheet(
        category=category,
        candidats=candidats,
        close_calls=close_calls(table, places, noms),
        recusations=recusations,
        places=places,
        laureats=laureats,
        places_restantes=decisions.remaining_places(con, edition, category),
        mentions=mentions,
    )


def set_presences(store: Store, admin: str, edition: int, jures: Sequence[str]) -> None:
    """Record who is present at the meeting of an edition (replaces the previous list)."""

    def work(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("delete from presences where edition = ?", [edition])
        for jure in dict.fromkeys(jures):
            con.execute(
                "insert into presences (edition, jure, note_par) values (?, ?, ?)",
                [edition, jure, admin],
            )
        audit.record(
            con,
            admin,
            AuditAction.PRESENCE,
            str(edition),
            f"jurés présents : {format_integer(len(set(jures)))}",
        )

    store.write(work)


def presences(con: duckdb.DuckDBPyConnection, edition: int) -> list[str]:
    """The jurors recorded as present at the meeting of an edition (identifiers)."""
    rows = con.execute(
        "select jure from presences where edition = ? order by jure", [edition]
    ).fetchall()
    return [str(r[0]) for r in rows]


def store_version(con: duckdb.DuckDBPyConnection) -> int:
    """The id of the last audit line: every decision, score or presence writes one, so a
    change of this number means something on the séance may have changed."""
    rows = con.execute("select coalesce(max(id), 0) from journal").fetchall()
    return int(rows[0][0])
