"""The fictitious editions through the real ETL: the dirty export yields exactly the
problems its manifest lists, each message naming file, line, column, value and rule."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from etl import demo as synthetic
from etl import warehouse
from etl.problems import rule_label
from tests.helpers import db_rows as rows


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, reference_dir: Path
) -> tuple[Path, list[synthetic.DemoExport]]:
    tmp = tmp_path_factory.mktemp("demo")
    exports = synthetic.generate_demo(tmp / "raw", seed=2023)
    target = tmp / "warehouse.duckdb"
    for export in exports:
        warehouse.load_files(
            [export.path], export.edition, warehouse=target, ref_dir=reference_dir, fictif=True
        )
    return target, exports


def test_every_load_accounts_for_every_row(demo: tuple[Path, list[synthetic.DemoExport]]) -> None:
    target, exports = demo
    lineage = rows(
        target,
        "select fichier, lignes_lues, lignes_chargees, lignes_rejetees, doublons, fictif "
        "from chargements",
    )
    assert len(lineage) == len(exports) == 3
    for _, lues, chargees, rejetees, doublons, fictif in lineage:
        assert lues == chargees + rejetees + doublons
        assert fictif is True
    by_file = {r[0]: r for r in lineage}
    for export in exports:
        assert by_file[export.path.name][1] == export.lignes


def test_both_editions_are_loaded_with_their_categories(
    demo: tuple[Path, list[synthetic.DemoExport]],
) -> None:
    target, _ = demo
    counts = dict(
        rows(
            target,
            "select edition, count(distinct categorie_code) from candidature_categories group by 1",
        )
    )
    assert counts == {2023: 8, 2024: 5}


def test_dirty_export_yields_exactly_the_expected_problems(
    demo: tuple[Path, list[synthetic.DemoExport]],
) -> None:
    target, exports = demo
    dirty = next(e for e in exports if e.sale)
    assert dirty.attendus is not None
    manifest = json.loads(dirty.attendus.read_text(encoding="utf-8"))
    expected = {(p["ligne"], p["regle"], p["severite"]) for p in manifest["problemes"]}
    found = rows(
        target,
        "select ligne, regle, severite, colonne, valeur, message from rejets where fichier = ?",
        [dirty.path.name],
    )
    actual = {(ligne, regle, severite) for ligne, regle, severite, *_ in found}
    assert expected - actual == set(), "expected problems not reported"
    unexpected_errors = {a for a in actual - expected if a[2] == "erreur"}
    assert unexpected_errors == set()
    for ligne, regle, _, colonne, valeur, message in found:
        assert f"Fichier « {dirty.path.name} », ligne {ligne}" in message
        assert f"(règle « {rule_label(regle)} »)" in message or regle in (
            "doublon_identique",
            "version_remplacee",
        )
        if colonne:
            assert f"colonne « {colonne} »" in message
        if valeur and regle not in ("doublon_identique", "version_remplacee"):
            assert f"« {valeur} »" in message or valeur in message


def answer(target: Path, fichier: str, ligne: int) -> dict[str, object]:
    con = duckdb.connect(str(target), read_only=True)
    try:
        frame = con.sql(
            "select * from reponses where fichier = ? and ligne = ?", params=[fichier, ligne]
        ).pl()
    finally:
        con.close()
    assert frame.height == 1, (fichier, ligne)
    return frame.row(0, named=True)


def test_null_markers_never_become_zero(demo: tuple[Path, list[synthetic.DemoExport]]) -> None:
    target, exports = demo
    dirty = next(e for e in exports if e.sale)
    assert dirty.attendus is not None
    manifest = json.loads(dirty.attendus.read_text(encoding="utf-8"))
    assert manifest["valeurs_nulles"]
    for marker in manifest["valeurs_nulles"]:
        assert answer(target, dirty.path.name, marker["ligne"])[marker["champ"]] is None, marker


def test_accepted_spellings_load_as_expected(demo: tuple[Path, list[synthetic.DemoExport]]) -> None:
    target, exports = demo
    dirty = next(e for e in exports if e.sale)
    assert dirty.attendus is not None
    manifest = json.loads(dirty.attendus.read_text(encoding="utf-8"))
    assert manifest["valeurs_acceptees"]
    for accepted in manifest["valeurs_acceptees"]:
        value = answer(target, dirty.path.name, accepted["ligne"])[accepted["champ"]]
        assert (
            value == pytest.approx(accepted["attendu"])
            if isinstance(value, float)
            else value == accepted["attendu"]
        ), accepted


def test_rural_prize_verdicts_follow_the_thresholds(
    demo: tuple[Path, list[synthetic.DemoExport]],
) -> None:
    target, _ = demo
    found = rows(
        target,
        """
        select k.rural_eligible, k.motifs, c.commune_population, c.departement_population
        from candidature_categories k join candidatures c using (candidature_id)
        where k.categorie_code = 'RURAL' and c.territoire_statut in ('exact', 'avertissement')
        """,
    )
    assert {r[0] for r in found} == {True, False}
    for eligible, motifs, commune, departement in found:
        assert eligible == (commune < 25_000 or departement < 350_000)
        if not eligible:
            assert any("prix rural" in m for m in motifs)
    others = rows(
        target,
        "select count(*) from candidature_categories "
        "where categorie_code <> 'RURAL' and rural_eligible is not null",
    )
    assert others == [(0,)]


def test_rejects_never_carry_personal_values(
    demo: tuple[Path, list[synthetic.DemoExport]],
) -> None:
    target, _ = demo
    personal = rows(
        target,
        "select valeur, message from rejets where champ in "
        "('email_repondant', 'contact_email', 'contact_telephone', 'contact_nom')",
    )
    assert personal, "the dirty export has an invalid e-mail"
    for valeur, message in personal:
        assert valeur == "(donnée personnelle masquée)"
        assert "@" not in message and "example" not in message


def test_detected_format_is_recorded_in_the_lineage(
    demo: tuple[Path, list[synthetic.DemoExport]],
) -> None:
    target, exports = demo
    lineage = {
        r[0]: r[1:]
        for r in rows(
            target,
            "select fichier, encodage, separateur, fin_de_ligne, champs_multilignes "
            "from chargements",
        )
    }
    dirty = next(e for e in exports if e.sale)
    assert lineage[dirty.path.name][:3] == ("cp1252", ";", "CRLF")
    clean_csv = next(e for e in exports if e.format == "csv" and not e.sale)
    encodage, separateur, _, multilignes = lineage[clean_csv.path.name]
    assert (encodage, separateur) == ("utf-8", ",")
    assert multilignes > 0  # descriptions with line breaks
    xlsx = next(e for e in exports if e.format == "xlsx")
    assert lineage[xlsx.path.name] == (None, None, None, 0)
