"""The jury's workflow on a real store file: queue, scoring, locks, conflicts, decisions."""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from dashboard.accounts import Account
from dashboard.jury import audit, decisions, export, scoring
from dashboard.jury import conflicts as conflits
from dashboard.jury.rules import ConflictRules, JuryRules, load_rules
from dashboard.jury.states import AuditAction, Decision
from dashboard.jury.store import Store
from etl import editions

EDITION = editions.load_editions()[2023]
COMM = EDITION.category("COMM")
SIAE = EDITION.category("SIAE")
RULES = JuryRules()


def candidatures() -> pl.DataFrame:
    rows = [
        ("2023-aaaa", "COMM", "PLIE de Nantes", "plie", "44", "52", '=HYPERLINK("x")'),
        ("2023-bbbb", "COMM", "MDE de Lyon", "mde", "69", "84", "Projet B"),
        ("2023-cccc", "COMM", "Ville de Brest", "collectivite", "29", "53", "Projet C"),
        ("2023-dddd", "SIAE", "PLIE de Nantes", "plie", "44", "52", "Projet D"),
    ]
    return pl.DataFrame(
        [
            {
                "candidature_id": cid,
                "edition": 2023,
                "categorie_code": cat,
                "eligible": True,
                "cas_limite": False,
                "structure_nom": nom,
                "structure_siret": None,
                "structure_type": typ,
                "departement_code": dep,
                "region_code": reg,
                "projet_titre": titre,
                "corrige": cid == "2023-aaaa",  # the organiser corrected its data
            }
            for cid, cat, nom, typ, dep, reg, titre in rows
        ]
    )


def full(value: int) -> scoring.ScoreInput:
    return scoring.ScoreInput({c.code: value for c in COMM.criteres}, {}, "avis")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "deliberations.duckdb", snapshot_delay_s=None) as opened:
        scoring.assign(opened, "admin", 2023, "COMM", ["anne", "bruno", "chloe"])
        yield opened


def submit(store: Store, jure: str, cid: str, value: int) -> None:
    scoring.save_score(store, jure, 2023, COMM, cid, full(value), submit=True)


def test_queue_lists_assigned_categories_with_progress_and_navigation(store: Store) -> None:
    file = scoring.queue(store.cursor(), "anne", 2023, candidatures())
    assert file["candidature_id"].to_list() == ["2023-aaaa", "2023-bbbb", "2023-cccc"]
    assert scoring.progress(file).libelle == "0 / 3"
    submit(store, "anne", "2023-bbbb", 4)
    scoring.save_score(store, "anne", 2023, COMM, "2023-aaaa", full(2), submit=False)
    file = scoring.queue(store.cursor(), "anne", 2023, candidatures())
    assert file["etat"].to_list() == ["brouillon", "envoyée", "à noter"]
    assert scoring.progress(file).libelle == "1 / 3"
    assert scoring.next_to_score(file) == ("COMM", "2023-aaaa")
    assert scoring.neighbours(file, "COMM", "2023-bbbb") == (
        ("COMM", "2023-aaaa"),
        ("COMM", "2023-cccc"),
    )
    assert scoring.neighbours(file, "COMM", "2023-aaaa")[0] is None
    assert scoring.neighbours(file, "SIAE", "2023-dddd") == (None, None)
    assert scoring.queue(store.cursor(), "inconnu", 2023, candidatures()).is_empty()


def test_score_is_the_weighted_mean_and_locks_on_submit(store: Store) -> None:
    values = {"INNOVATION": 5, "RAYONNEMENT": 4, "CIBLES": 0, "RESULTATS": 2}
    saisie = scoring.ScoreInput(values, {"INNOVATION": "très original"}, "bien")
    scoring.save_score(store, "anne", 2023, COMM, "2023-aaaa", saisie, submit=True)
    scores = scoring.submitted_scores(store.cursor(), 2023, "COMM")
    assert scores["note"].to_list() == [pytest.approx((5 * 30 + 4 * 30 + 0 + 2 * 20) / 100)]
    with pytest.raises(scoring.ScoreLocked):
        scoring.save_score(store, "anne", 2023, COMM, "2023-aaaa", full(1), submit=True)
    statut, detail = scoring.score_detail(store.cursor(), "anne", 2023, "COMM", "2023-aaaa")
    assert statut == "soumise"
    assert detail.valeurs == values and detail.commentaires == {"INNOVATION": "très original"}
    scoring.reopen_score(store, "admin", 2023, "COMM", "2023-aaaa", "anne", "erreur de saisie")
    scoring.save_score(store, "anne", 2023, COMM, "2023-aaaa", full(1), submit=True)
    assert scoring.submitted_scores(store.cursor(), 2023)["note"].to_list() == [1.0]
    log = audit.journal(store.cursor())
    assert log.filter(pl.col("action") == "reouverture")["detail"].to_list() == [
        "COMM, note de anne : erreur de saisie"
    ]
    assert log.filter(pl.col("action") == "note").height == 2
    rows = store.frame("select count(*) as n from notes_criteres")["n"][0]
    assert rows == len(COMM.criteres)


def test_invalid_scores_are_refused_in_french(store: Store) -> None:
    with pytest.raises(scoring.ScoringRefused, match="hors du barème"):
        scoring.save_score(
            store, "anne", 2023, COMM, "2023-aaaa", scoring.ScoreInput({"CIBLES": 6}), False
        )
    with pytest.raises(scoring.ScoringRefused, match="Notez chaque critère"):
        scoring.save_score(
            store, "anne", 2023, COMM, "2023-aaaa", scoring.ScoreInput({"CIBLES": 3}), True
        )
    siae = scoring.ScoreInput({c.code: 3 for c in SIAE.criteres})
    with pytest.raises(scoring.ScoringRefused, match="n'est pas juré"):
        scoring.save_score(store, "anne", 2023, SIAE, "2023-dddd", siae, True)
    assert store.frame("select count(*) as n from notes")["n"][0] == 0


def test_abstention_is_submitted_without_a_note(store: Store) -> None:
    scoring.save_score(
        store, "anne", 2023, COMM, "2023-aaaa", scoring.ScoreInput(abstention=True), True
    )
    submit(store, "bruno", "2023-aaaa", 4)
    table = decisions.category_results(store.cursor(), 2023, COMM, RULES)
    row = table.row(0, named=True)
    assert (row["nb_notes"], row["abstentions"], row["moyenne"]) == (1, 1, 4.0)
    file = scoring.queue(store.cursor(), "anne", 2023, candidatures())
    assert file["etat"][0] == "abstention"


def test_others_scores_are_hidden_until_one_submits(store: Store) -> None:
    submit(store, "bruno", "2023-aaaa", 5)
    assert not scoring.can_see_others(store.cursor(), "anne", 2023, "COMM", "2023-aaaa")
    with pytest.raises(scoring.ScoresHidden):
        scoring.others_scores(store.cursor(), "anne", 2023, "COMM", "2023-aaaa")
    scoring.save_score(store, "anne", 2023, COMM, "2023-aaaa", full(2), submit=False)
    assert not scoring.can_see_others(store.cursor(), "anne", 2023, "COMM", "2023-aaaa")
    submit(store, "anne", "2023-aaaa", 2)
    others = scoring.others_scores(store.cursor(), "anne", 2023, "COMM", "2023-aaaa")
    assert others.select("jure", "note").rows() == [("bruno", 5.0)]


def test_declared_conflict_recuses_at_once_and_admin_decides(store: Store) -> None:
    submit(store, "anne", "2023-bbbb", 5)
    submit(store, "bruno", "2023-bbbb", 1)
    with pytest.raises(ValueError, match="raison"):
        conflits.declare_conflict(store, "anne", 2023, "2023-bbbb", "  ")
    conflits.declare_conflict(store, "anne", 2023, "2023-bbbb", "ancienne directrice")
    file = scoring.queue(store.cursor(), "anne", 2023, candidatures())
    assert "2023-bbbb" not in file["candidature_id"].to_list()
    # The recused juror's score no longer weighs on the result.
    table = decisions.category_results(store.cursor(), 2023, COMM, RULES)
    assert table.select("candidature_id", "moyenne").rows() == [("2023-bbbb", 1.0)]
    conflits.declare_conflict(store, "anne", 2023, "2023-cccc", "conjoint salarié")
    with pytest.raises(scoring.ScoringRefused, match="récusé"):
        scoring.save_score(store, "anne", 2023, COMM, "2023-cccc", full(3), True)
    conflits.decide_conflict(store, "admin", 2023, "2023-bbbb", "anne", confirme=False)
    table = decisions.category_results(store.cursor(), 2023, COMM, RULES)
    assert table.filter(pl.col("candidature_id") == "2023-bbbb")["moyenne"][0] == 3.0
    listed = conflits.conflicts(store.cursor(), 2023)
    assert listed.filter(pl.col("candidature_id") == "2023-bbbb")["recuse"][0] is False
    assert audit.journal(store.cursor(), action="recusation").height == 1
    assert audit.journal(store.cursor(), action="conflit").height == 2


def test_suggestions_follow_the_rules_and_wait_for_the_admin(store: Store) -> None:
    jures = [
        Account("anne", "Anne", "jury", "PLIE de Nantes", "35", "53", None),
        Account("bruno", "Bruno", "jury", "Autre", "69", "84", "MDE"),
    ]
    rules = ConflictRules(meme_structure=True, meme_departement=True, meme_reseau=True)
    found = conflits.suggest_conflicts(jures, candidatures(), rules)
    pairs = {(r["jure"], r["candidature_id"]): r["motif"] for r in found.iter_rows(named=True)}
    assert set(pairs) == {
        ("anne", "2023-aaaa"),
        ("anne", "2023-dddd"),
        ("bruno", "2023-bbbb"),
    }
    assert "même structure" in pairs[("anne", "2023-aaaa")]
    assert "même département (69)" in pairs[("bruno", "2023-bbbb")]
    assert "même réseau (MDE)" in pairs[("bruno", "2023-bbbb")]
    none = conflits.suggest_conflicts(jures, candidatures(), ConflictRules(False, False))
    assert none.is_empty()
    assert conflits.record_suggestions(store, "admin", found) == 3
    assert conflits.record_suggestions(store, "admin", found) == 0
    # A suggestion recuses nobody until confirmed.
    assert len(scoring.queue(store.cursor(), "bruno", 2023, candidatures())) == 3
    conflits.decide_conflict(store, "admin", 2023, "2023-bbbb", "bruno", confirme=True)
    file = scoring.queue(store.cursor(), "bruno", 2023, candidatures())
    assert file["candidature_id"].to_list() == ["2023-aaaa", "2023-cccc"]


def test_laureates_respect_the_quota_and_places_remaining(store: Store) -> None:
    for cid, value in (("2023-aaaa", 5), ("2023-bbbb", 3), ("2023-cccc", 1)):
        submit(store, "anne", cid, value)
        submit(store, "bruno", cid, value)
    assert decisions.remaining_places(store.cursor(), 2023, COMM) == COMM.laureats_max == 1
    decide = functools.partial(decisions.decide, store, "admin", 2023, COMM, rules=RULES)
    decide("2023-aaaa", Decision.PRESELECTION)
    decide("2023-bbbb", Decision.PRESELECTION)
    decide("2023-aaaa", Decision.LAUREAT, "Meilleure note, unanimité.")
    assert decisions.remaining_places(store.cursor(), 2023, COMM) == 0
    with pytest.raises(decisions.QuotaReached, match="Quota atteint"):
        decide("2023-bbbb", Decision.LAUREAT, "Deuxième lauréat")
    decide("2023-aaaa", None)
    decide("2023-bbbb", Decision.LAUREAT, "Choix du jury après débat.")
    laureates = decisions.laureates(store.cursor(), 2023)
    assert laureates["candidature_id"].to_list() == ["2023-bbbb"]
    assert laureates["justification"].to_list() == ["Choix du jury après débat."]
    table = decisions.category_results(store.cursor(), 2023, COMM, RULES)
    assert dict(zip(table["candidature_id"], table["niveau"], strict=True)) == {
        "2023-aaaa": None,
        "2023-bbbb": "laureat",
        "2023-cccc": None,
    }
    assert audit.journal(store.cursor(), action=AuditAction.DECISION).height == 5


def test_a_laureate_and_a_choice_against_the_ranking_need_a_justification(
    store: Store,
) -> None:
    for i, value in enumerate((5, 4, 4, 3, 2)):
        cid = f"2023-{i}"
        submit(store, "anne", cid, value)
        submit(store, "bruno", cid, value)
    decide = functools.partial(decisions.decide, store, "admin", 2023, COMM, rules=RULES)
    with pytest.raises(decisions.DecisionRefused, match="Justifiez en une ligne"):
        decide("2023-0", Decision.LAUREAT)
    with pytest.raises(decisions.DecisionRefused, match="Justifiez en une ligne"):
        decide("2023-0", Decision.LAUREAT, "   ")
    # shortlisting within the first places follows the ranking: no justification needed
    decide("2023-2", Decision.PRESELECTION)
    # the 5th of the ranking is shortlisted against it: the jury must say why
    with pytest.raises(decisions.DecisionRefused, match="3 premières du classement"):
        decide("2023-4", Decision.PRESELECTION)
    decide("2023-4", Decision.PRESELECTION, "Seul projet rural de la catégorie.")
    with pytest.raises(decisions.DecisionRefused, match="une ligne : 300 caractères"):
        decide("2023-0", Decision.LAUREAT, "x" * 301)
    rows = decisions.selections(store.cursor(), 2023, "COMM")
    assert dict(zip(rows["candidature_id"], rows["justification"], strict=True)) == {
        "2023-2": None,
        "2023-4": "Seul projet rural de la catégorie.",
    }
    detail = audit.journal(store.cursor(), action=AuditAction.DECISION)["detail"][0]
    assert detail == "COMM : présélectionnée — Seul projet rural de la catégorie."


def test_ex_aequo_and_mentions_only_where_the_edition_allows_them(store: Store) -> None:
    for cid, value in (("2023-aaaa", 5), ("2023-bbbb", 5), ("2023-cccc", 3)):
        submit(store, "anne", cid, value)
        submit(store, "bruno", cid, value)
    why = "Projets également remarquables."
    strict = functools.partial(decisions.decide, store, "admin", 2023, COMM, rules=RULES)
    with pytest.raises(decisions.DecisionRefused, match="ne prévoit pas de lauréat ex æquo"):
        strict("2023-bbbb", Decision.EX_AEQUO, why)
    with pytest.raises(decisions.DecisionRefused, match="ne prévoit pas de mention"):
        strict("2023-cccc", Decision.MENTION, why)
    open_prize = dataclasses.replace(COMM, ex_aequo=True, mentions_max=1)
    free = functools.partial(decisions.decide, store, "admin", 2023, open_prize, rules=RULES)
    with pytest.raises(decisions.DecisionRefused, match="nommez d'abord le lauréat"):
        free("2023-bbbb", Decision.EX_AEQUO, why)
    free("2023-aaaa", Decision.LAUREAT, why)
    free("2023-bbbb", Decision.EX_AEQUO, why)
    free("2023-cccc", Decision.MENTION, "Mention pour la démarche rurale.")
    with pytest.raises(decisions.QuotaReached, match="1 mention au plus"):
        free("2023-aaaa", Decision.MENTION, why)
    laureates = decisions.laureates(store.cursor(), 2023)
    assert sorted(laureates["niveau"]) == ["ex_aequo", "laureat"]
    assert decisions.remaining_places(store.cursor(), 2023, open_prize) == 0


def test_export_justifies_the_result_and_neutralises_formulas(store: Store) -> None:
    hostile = scoring.ScoreInput(
        {c.code: 4 for c in COMM.criteres}, {"INNOVATION": "=1+1"}, "@SUM(A1)"
    )
    scoring.save_score(store, "anne", 2023, COMM, "2023-aaaa", hostile, submit=True)
    submit(store, "bruno", "2023-aaaa", 2)
    decisions.decide(store, "admin", 2023, COMM, "2023-aaaa", Decision.LAUREAT, "Unanimité.")
    decisions.add_deliberation_note(store, "admin", 2023, "COMM", "-unanimité moins une voix")
    names = {"anne": "Anne Martin", "bruno": "Bruno Petit"}
    table = export.justification(store.cursor(), EDITION, RULES, None, candidatures(), names)
    assert table.height == 2
    assert set(table["Décision"]) == {"lauréate"}
    innovation = next(c for c in COMM.criteres if c.code == "INNOVATION")
    assert f"{innovation.libelle} (poids 30 %)" in table.columns
    text = export.export_bytes(
        store, "admin", EDITION, "csv", candidatures=candidatures(), jurors=names
    ).decode("utf-8-sig")
    assert "'@SUM(A1)" in text and "'=1+1" in text
    assert "-unanimité moins une voix" in text
    xlsx = export.export_bytes(store, "admin", EDITION, "xlsx", candidatures=candidatures())
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet
    assert audit.journal(store.cursor(), action="export").height == 2


def test_rules_file_is_read_and_checked(tmp_path: Path) -> None:
    assert load_rules().conflits.meme_departement is True
    path = tmp_path / "jury.toml"
    path.write_text("[conflits]\nmeme_region = true\n[resultats]\npreselection = 5\n", "utf-8")
    rules = load_rules(path)
    assert rules.conflits.meme_region and rules.preselection == 5
    path.write_text("[conflits]\nmeme_couleur = true\n", encoding="utf-8")
    with pytest.raises(ValueError, match="inconnue"):
        load_rules(path)


def test_jury_export_reads_like_a_document(store: Store) -> None:
    # weights and a severe juror make long decimals: the export rounds them
    uneven = scoring.ScoreInput(
        dict(zip([c.code for c in COMM.criteres], (5, 4, 3, 4), strict=True))
    )
    scoring.save_score(store, "anne", 2023, COMM, "2023-aaaa", uneven, submit=True)
    submit(store, "anne", "2023-bbbb", 2)
    submit(store, "bruno", "2023-aaaa", 1)
    scoring.save_score(
        store, "bruno", 2023, COMM, "2023-bbbb", scoring.ScoreInput(abstention=True), submit=True
    )
    decisions.decide(store, "admin", 2023, COMM, "2023-aaaa", Decision.LAUREAT, "Unanimité.")
    names = {"anne": "Anne Martin", "bruno": "Bruno Petit"}
    text = export.export_bytes(
        store, "admin", EDITION, "csv", candidatures=candidatures(), jurors=names
    ).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[:17] == [
        "Édition",
        "Prix",
        "Rang",
        "Candidature",
        "Décision",
        "Justification",
        "Données corrigées par l'organisateur",
        "Note normalisée",
        "Moyenne",
        "Médiane",
        "Rang (moyenne)",
        "Rang (médiane)",
        "Décision serrée",
        "Motifs",
        "Juré",
        "Abstention",
        "Note du juré",
    ]
    assert header[-1] == "Identifiant"
    assert not any("_" in h for h in header)  # no technical header
    cells = [dict(zip(header, row, strict=True)) for row in rows]
    first = cells[0]
    assert first["Prix"] == f"Prix {COMM.numero} — {COMM.libelle}"
    assert first["Candidature"] == 'PLIE de Nantes — \'=HYPERLINK("x")' or first[
        "Candidature"
    ].startswith("PLIE de Nantes — ")
    assert (first["Décision"], first["Justification"]) == ("lauréate", "Unanimité.")
    corrected = {
        c["Candidature"].split(" — ")[1]: c["Données corrigées par l'organisateur"] for c in cells
    }
    assert corrected["Projet B"] == "Non" and first["Données corrigées par l'organisateur"] == "Oui"
    assert {c["Juré"] for c in cells} == {"Anne Martin", "Bruno Petit"}
    assert {c["Abstention"] for c in cells} == {"Oui", "Non"}
    assert {c["Décision serrée"] for c in cells} <= {"Oui", "Non"}
    assert "true" not in text and "false" not in text
    numbers = [c[k] for c in cells for k in ("Note normalisée", "Moyenne", "Note du juré") if c[k]]
    assert numbers and all(re.fullmatch(r"-?\d+(,\d{1,2})?", n) for n in numbers), numbers
    assert any("," in n for n in numbers)  # decimal comma, not a dot
