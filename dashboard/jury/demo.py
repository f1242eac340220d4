"""A FICTITIOUS deliberation for the demo warehouse (``trophees jury demo``).

Fictitious jurors (some lenient, some severe), assignments, declared, suggested,
confirmed and rejected conflicts, scores for most candidatures, shortlists, laureates
within each category's quota and deliberation notes, for every edition of the demo
warehouse. Deterministic for a seed. Everything goes through the app's own functions,
so the journal tells the story too. Refused on a warehouse holding real data.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from dashboard.accounts import Account
from dashboard.jury import conflicts, decisions, meeting, scoring
from dashboard.jury.candidatures import candidatures_to_judge, warehouse_is_fictitious
from dashboard.jury.rules import JuryRules, load_rules
from dashboard.jury.states import Decision
from dashboard.jury.store import Store
from etl import editions
from etl.editions.model import Category, Edition
from etl.french import agree, plural

DEMO_PREFIX = "demo-"
DEMO_ADMIN = "demo-admin"
JURORS_PER_CATEGORY = 4

DEMO_JURES: tuple[Account, ...] = (
    Account(
        "demo-jure-01",
        "Claire Fontaine (fictive)",
        "jury",
        organisation="Fédération fictive des PLIE",
        departement="92",
        region="11",
        reseau="PLIE",
    ),
    Account(
        "demo-jure-02",
        "Karim Benali (fictif)",
        "jury",
        organisation="Réseau fictif des maisons de l'emploi",
        departement="44",
        region="52",
        reseau="MDE",
    ),
    Account(
        "demo-jure-03",
        "Sophie Lambert (fictive)",
        "jury",
        organisation="Banque fictive des territoires",
        departement="75",
        region="11",
        reseau=None,
    ),
    Account(
        "demo-jure-04",
        "Thomas Nguyen (fictif)",
        "jury",
        organisation="Union fictive des entreprises d'insertion",
        departement="69",
        region="84",
        reseau=None,
    ),
    Account(
        "demo-jure-05",
        "Isabelle Moreau (fictive)",
        "jury",
        organisation="Ministère fictif du travail",
        departement="75",
        region="11",
        reseau=None,
    ),
    Account(
        "demo-jure-06",
        "Julien Robert (fictif)",
        "jury",
        organisation="Conseil régional fictif",
        departement="33",
        region="75",
        reseau=None,
    ),
    Account(
        "demo-jure-07",
        "Nadia Haddad (fictive)",
        "jury",
        organisation="Association fictive des acheteurs publics",
        departement="13",
        region="93",
        reseau=None,
    ),
    Account(
        "demo-jure-08",
        "Marc Lefèvre (fictif)",
        "jury",
        organisation="Observatoire fictif de la commande publique",
        departement="974",
        region="04",
        reseau=None,
    ),
)
"""Demo jurors; the auth module may create accounts with these identifiers."""


class DemoRefused(RuntimeError):
    """The demo deliberation would mix with real data: French message."""


@dataclass
class DemoReport:
    """What the demo deliberation holds, per edition."""

    lignes: list[str] = field(default_factory=list)

    def summary_fr(self) -> str:
        return "\n".join(
            [
                *self.lignes,
                "Délibération FICTIVE : jurés, notes et lauréats sont inventés.",
            ]
        )


def _clear_demo(con: duckdb.DuckDBPyConnection, years: list[int]) -> None:
    pattern = f"{DEMO_PREFIX}%"
    for table in ("affectations", "conflits", "notes_criteres", "notes"):
        con.execute(
            f"delete from {table} where jure like ? and edition in (select unnest(?))",  # noqa: S608 - table from code
            [pattern, years],
        )
    con.execute(
        "delete from selections where decide_par = ? and edition in (select unnest(?))",
        [DEMO_ADMIN, years],
    )
    con.execute(
        "delete from notes_deliberation where auteur = ? and edition in (select unnest(?))",
        [DEMO_ADMIN, years],
    )
    con.execute(
        "delete from presences where note_par = ? and edition in (select unnest(?))",
        [DEMO_ADMIN, years],
    )


def _check_store(store: Store, years: list[int], replace: bool) -> None:
    rows = store.frame(
        "select jure like ? as demo, count(*) as n from notes"
        " where edition in (select unnest(?)) group by all",
        [f"{DEMO_PREFIX}%", years],
    )
    real = rows.filter(~pl.col("demo"))["n"].sum()
    if real:
        raise DemoRefused(
            f"La base de délibérations contient {plural(int(real), 'note')} de vrais jurés pour "
            f"{years} : la délibération fictive n'y sera pas ajoutée."
        )
    if rows.filter(pl.col("demo"))["n"].sum() and not replace:
        raise DemoRefused(
            "Une délibération fictive existe déjà : relancez avec --remplacer pour la refaire."
        )


def _assignments(store: Store, edition: Edition) -> None:
    for i, category in enumerate(edition.categories):
        chosen = [DEMO_JURES[(i + k) % len(DEMO_JURES)] for k in range(JURORS_PER_CATEGORY)]
        scoring.assign(
            store, DEMO_ADMIN, edition.annee, category.code, [j.identifiant for j in chosen]
        )


def _conflicts(
    store: Store,
    edition: Edition,
    candidatures: pl.DataFrame,
    rules: JuryRules,
    draw: random.Random,
) -> None:
    suggestions = conflicts.suggest_conflicts(DEMO_JURES, candidatures, rules.conflits)
    conflicts.record_suggestions(store, DEMO_ADMIN, suggestions)
    for row in suggestions.iter_rows(named=True):
        confirm = "même structure" in row["motif"] or draw.random() < 0.6
        conflicts.decide_conflict(
            store, DEMO_ADMIN, edition.annee, row["candidature_id"], row["jure"], confirm
        )
    for jure in DEMO_JURES[2:4]:
        file = scoring.queue(store.cursor(), jure.identifiant, edition.annee, candidatures)
        if file.height:
            pick = file.row(draw.randrange(file.height), named=True)
            conflicts.declare_conflict(
                store,
                jure.identifiant,
                edition.annee,
                pick["candidature_id"],
                "A accompagné ce projet comme partenaire (déclaration fictive).",
            )


def _scores(
    store: Store, edition: Edition, candidatures: pl.DataFrame, draw: random.Random, done: float
) -> int:
    """Draw every score first (deterministic), then let the jurors send them at once."""
    quality = {cid: draw.gauss(2.8, 0.8) for cid in candidatures["candidature_id"].unique().sort()}
    severity = {j.identifiant: draw.uniform(-1.0, 1.0) for j in DEMO_JURES}
    work: dict[str, list[tuple[Category, str, scoring.ScoreInput]]] = {}
    for jure in DEMO_JURES:
        file = scoring.queue(store.cursor(), jure.identifiant, edition.annee, candidatures)
        todo = work.setdefault(jure.identifiant, [])
        for item in file.iter_rows(named=True):
            luck = draw.random()
            if luck > done:
                continue  # not scored yet
            category = edition.category(item["categorie_code"])
            abstain = luck > done - 0.03
            base = quality[item["candidature_id"]] + severity[jure.identifiant]
            values = {
                c.code: min(c.note_max, max(c.note_min, round(base + draw.gauss(0, 0.7))))
                for c in category.criteres
            }
            saisie = scoring.ScoreInput(
                valeurs={} if abstain else values,
                commentaires={category.criteres[0].code: "Appréciation fictive du critère."},
                commentaire="Avis général fictif.",
                abstention=abstain,
            )
            todo.append((category, item["candidature_id"], saisie))

    def send(jure: str) -> int:
        for category, candidature_id, saisie in work[jure]:
            scoring.save_score(
                store, jure, edition.annee, category, candidature_id, saisie, submit=True
            )
        return len(work[jure])

    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        return sum(pool.map(send, sorted(work)))


def _decisions(store: Store, edition: Edition, rules: JuryRules) -> int:
    crowned = 0
    for category in edition.categories:
        table = decisions.category_results(store.cursor(), edition.annee, category, rules)
        if table.is_empty():
            continue
        ids = table["candidature_id"].to_list()
        for cid in ids[: rules.preselection]:
            decisions.decide(
                store, DEMO_ADMIN, edition.annee, category, cid, Decision.PRESELECTION, rules=rules
            )
        for rank, cid in enumerate(ids[: category.laureats_max], start=1):
            decisions.decide(
                store,
                DEMO_ADMIN,
                edition.annee,
                category,
                cid,
                Decision.LAUREAT,
                f"{rank}{'re' if rank == 1 else 'e'} du classement, retenue à l'unanimité "
                "des jurés présents (délibération fictive).",
                rules,
            )
            crowned += 1
        if category.mentions_max and len(ids) > category.laureats_max:
            decisions.decide(
                store,
                DEMO_ADMIN,
                edition.annee,
                category,
                ids[category.laureats_max],
                Decision.MENTION,
                "Démarche jugée exemplaire pour sa reproductibilité (délibération fictive).",
                rules,
            )
        decisions.add_deliberation_note(
            store,
            DEMO_ADMIN,
            edition.annee,
            category.code,
            _note_text(category, table),
        )
    return crowned


def _note_text(category: Category, table: pl.DataFrame) -> str:
    tight = int(table["decision_serree"].sum())
    return (
        f"Délibération fictive « {category.libelle} » : {plural(table.height, 'candidature')} "
        f"{agree(table.height, 'notée')}, {plural(tight, 'décision')} "
        f"{agree(tight, 'serrée')} {agree(tight, 'examinée')} ; lauréats retenus "
        "selon la note normalisée."
    )


def fill_demo(
    store: Store,
    warehouse: Path | None = None,
    seed: int = 2023,
    replace: bool = False,
    rules: JuryRules | None = None,
) -> DemoReport:
    """Fill a fictitious deliberation for every edition of the demo warehouse."""
    if not warehouse_is_fictitious(warehouse):
        raise DemoRefused(
            "L'entrepôt contient des données réelles : la délibération fictive est refusée "
            "(elle n'est faite que pour l'entrepôt de démonstration, `trophees demo`)."
        )
    rules = rules or load_rules()
    configured = editions.load_editions()
    frames = {year: candidatures_to_judge(year, warehouse) for year in sorted(configured)}
    years = [year for year, frame in frames.items() if frame.height]
    _check_store(store, years, replace)
    store.write(lambda con: _clear_demo(con, years))
    report = DemoReport()
    for year in years:
        draw = random.Random(f"{seed}-{year}")
        edition = configured[year]
        candidatures = frames[year]
        _assignments(store, edition)
        _conflicts(store, edition, candidatures, rules, draw)
        done = 0.95 if year == min(years) else 0.85
        saved = _scores(store, edition, candidatures, draw, done)
        # every fictitious juror but the last attends the meeting
        present = [j.identifiant for j in DEMO_JURES[:-1]]
        meeting.set_presences(store, DEMO_ADMIN, edition.annee, present)
        crowned = _decisions(store, edition, rules)
        report.lignes.append(
            f"Édition {year} : {len(DEMO_JURES)} jurés fictifs, {saved} notes envoyées, "
            f"{plural(crowned, 'lauréat')}."
        )
    return report
