"""The ETL end to end on a tiny committed export: every row accounted for, atomic swaps."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl import rules, warehouse
from tests.helpers import MINI
from tests.helpers import warehouse_rows as query


def load(
    tmp_path: Path, reference_dir: Path, *files: Path, **kw: object
) -> list[warehouse.LoadReport]:
    return warehouse.load_files(
        list(files),
        2023,
        warehouse=tmp_path / "warehouse.duckdb",
        ref_dir=reference_dir,
        **kw,  # type: ignore[arg-type]
    )


def test_every_row_is_loaded_rejected_or_duplicate(tmp_path: Path, reference_dir: Path) -> None:
    (report,) = load(tmp_path, reference_dir, MINI)
    assert report.lignes_lues == 8
    assert report.lignes_lues == report.lignes_chargees + report.lignes_rejetees + report.doublons
    # lines 13 and 15 miss a required answer; 9 replaces 2; 11 repeats 9
    assert (report.lignes_chargees, report.lignes_rejetees, report.doublons) == (4, 2, 2)
    stored = query(
        tmp_path, "select lignes_lues, lignes_chargees, lignes_rejetees, doublons from chargements"
    )
    assert stored == [(8, 4, 2, 2)]


def test_rejects_name_file_line_column_value_and_rule(tmp_path: Path, reference_dir: Path) -> None:
    load(tmp_path, reference_dir, MINI)
    rows = query(
        tmp_path, "select ligne, regle, severite, valeur, message from rejets order by ligne, regle"
    )
    found = {(ligne, regle, severite) for ligne, regle, severite, _, _ in rows}
    # lines are physical: the first record's description spans lines 2-3
    assert found == {
        (4, "secteurs_superieurs_total", "erreur"),  # 8 000 + 3 000 h for 1 234,5 h in all
        (5, "nombre_illisible", "erreur"),
        (7, "public_superieur_participants", "erreur"),
        (7, "hors_delai", "avertissement"),
        (2, "version_remplacee", "avertissement"),
        (11, "doublon_identique", "avertissement"),
        (13, "obligatoire_manquant", "erreur"),
        (13, "categorie_inconnue", "erreur"),
        (15, "obligatoire_manquant", "erreur"),
        (15, "territoire_ambigu", "avertissement"),
    }
    message = next(m for ligne, regle, _, _, m in rows if regle == "nombre_illisible")
    assert message == (
        "Fichier « mini-2023.csv », ligne 5, colonne « Nombre d'heures d'insertion réalisées "
        "(total) » : valeur « 12 OOO » illisible comme nombre (règle « nombre illisible »)."
    )
    ambiguous = next(m for ligne, regle, _, _, m in rows if regle == "territoire_ambigu")
    assert "Candidats : Saint-Denis (11339, dép. 11) ; Saint-Denis (30247, dép. 30)" in ambiguous
    duplicate = next(m for ligne, regle, _, _, m in rows if regle == "doublon_identique")
    assert "même réponse que la ligne 9 du fichier « mini-2023.csv »" in duplicate


def test_the_console_counts_every_warning_the_quality_view_lists(
    tmp_path: Path, reference_dir: Path
) -> None:
    (report,) = load(tmp_path, reference_dir, MINI)
    counts = dict(query(tmp_path, "select severite, count(*) from rejets group by 1"))
    # duplicates and superseded versions are warnings too (2 of the 4)
    assert (report.erreurs, report.avertissements) == (counts["erreur"], counts["avertissement"])
    assert report.avertissements == 4


def test_views_hold_current_candidatures_without_contacts(
    tmp_path: Path, reference_dir: Path
) -> None:
    load(tmp_path, reference_dir, MINI)
    columns = {r[0] for r in query(tmp_path, "select column_name from (describe candidatures)")}
    assert {
        "candidature_id",
        "edition",
        "date_depot",
        "hors_delai",
        "commune_code",
        "region_code",
        "territoire_statut",
        "heures_insertion",
        "nb_participants",
        "eligible",
    } <= columns
    assert not columns & {"contact_nom", "contact_email", "contact_telephone", "email_repondant"}
    rows = query(
        tmp_path,
        "select ligne, heures_insertion, nb_femmes, hors_delai from candidatures order by ligne",
    )
    # line 9 (13 000 h) replaced the first version (line 2); decimal hours are kept as
    # typed (line 4); an unreadable figure is left empty without losing the candidature
    # (line 5); women > participants removed (line 7, after the deadline)
    assert rows == [
        (4, 1234.5, 4, False),
        (5, None, 4, False),
        (7, 12000, None, True),
        (9, 13000, 4, False),
    ]
    refs = query(tmp_path, "select count(*) from ref_departements")
    assert refs == [(101,)]


def test_reloading_an_unchanged_file_is_a_no_op(tmp_path: Path, reference_dir: Path) -> None:
    load(tmp_path, reference_dir, MINI)
    before = warehouse.content_hash(tmp_path / "warehouse.duckdb")
    mtime = (tmp_path / "warehouse.duckdb").stat().st_mtime_ns
    (again,) = load(tmp_path, reference_dir, MINI)
    assert again.inchange
    assert (tmp_path / "warehouse.duckdb").stat().st_mtime_ns == mtime
    assert warehouse.content_hash(tmp_path / "warehouse.duckdb") == before


def test_corrected_re_export_replaces_the_source_and_keeps_ids(
    tmp_path: Path, reference_dir: Path
) -> None:
    load(tmp_path, reference_dir, MINI)
    ids = query(tmp_path, "select candidature_id from candidatures order by 1")
    corrected_dir = tmp_path / "corrige"
    corrected_dir.mkdir()
    corrected = corrected_dir / MINI.name
    corrected.write_text(
        MINI.read_text(encoding="utf-8").replace("12 OOO", "12 000"), encoding="utf-8"
    )
    (report,) = load(tmp_path, reference_dir, corrected)
    assert report.lignes_rejetees == 2
    after = query(tmp_path, "select candidature_id from candidatures order by 1")
    assert after == ids
    assert query(tmp_path, "select heures_insertion from candidatures where ligne = 5") == [
        (12000,)
    ]
    assert query(tmp_path, "select count(*) from chargements") == [(1,)]


def test_missing_required_column_stops_with_french_message(
    tmp_path: Path, reference_dir: Path
) -> None:
    reworded = tmp_path / "reformule.csv"
    text = MINI.read_text(encoding="utf-8").replace(
        "Intitulé du projet", "Intitulé de votre projet en quelques mots"
    )
    reworded.write_text(text, encoding="utf-8")
    with pytest.raises(rules.ChargementImpossible) as err:
        load(tmp_path, reference_dir, reworded)
    assert "projet_titre" in str(err.value)
    assert "Intitulé de votre projet en quelques mots" in str(err.value)
    assert not (tmp_path / "warehouse.duckdb").exists()
    mapping = tmp_path / "correspondance.toml"
    mapping.write_text(
        "[formulaire.champs.projet_titre]\n"
        'alias_ajoutes = ["Intitulé de votre projet en quelques mots"]\n',
        encoding="utf-8",
    )
    (report,) = load(tmp_path, reference_dir, reworded, mapping=mapping)
    assert report.lignes_chargees == 4
    assert report.correspondance == "correspondance.toml"


def test_unknown_column_is_a_warning(tmp_path: Path, reference_dir: Path) -> None:
    extra = tmp_path / "colonne-en-plus.csv"
    with MINI.open(encoding="utf-8") as src, extra.open("w", encoding="utf-8", newline="") as dst:
        rows = list(csv.reader(src))
        writer = csv.writer(dst)
        writer.writerow([*rows[0], "Question ajoutée en cours de route"])
        writer.writerows([*r, "x"] for r in rows[1:])
    load(tmp_path, reference_dir, extra)
    assert query(
        tmp_path, "select ligne, severite from rejets where regle = 'colonne_inconnue'"
    ) == [(1, "avertissement")]


def big_copy(path: Path, copies: int) -> Path:
    """The mini export repeated with distinct respondents: a load that takes seconds."""
    rows = list(csv.reader(MINI.open(encoding="utf-8")))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(rows[0])
        for i in range(copies):
            for r in rows[1:]:
                writer.writerow([r[0], f"r{i}-{r[1]}", *r[2:]])
    return path


@pytest.mark.slow
def test_a_killed_load_leaves_the_previous_warehouse(tmp_path: Path, reference_dir: Path) -> None:
    load(tmp_path, reference_dir, MINI)
    before = warehouse.content_hash(tmp_path / "warehouse.duckdb")
    big = big_copy(tmp_path / "gros.csv", 6000)
    script = (
        "import sys; from pathlib import Path; from etl import warehouse; "
        "warehouse.load_files([Path(sys.argv[1])], 2023, "
        "warehouse=Path(sys.argv[2]), ref_dir=Path(sys.argv[3]))"
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            script,
            str(big),
            str(tmp_path / "warehouse.duckdb"),
            str(reference_dir),
        ]
    )
    time.sleep(2.5)
    assert proc.poll() is None, "the load finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert warehouse.content_hash(tmp_path / "warehouse.duckdb") == before
    (report,) = load(tmp_path, reference_dir, MINI)
    assert report.inchange
    assert not list(tmp_path.glob("warehouse.duckdb.tmp-*"))
    shutil.rmtree(tmp_path / "corrige", ignore_errors=True)


def test_a_percentage_typed_for_a_count_is_converted_only_with_its_base(
    tmp_path: Path, reference_dir: Path
) -> None:
    rows = list(csv.reader(MINI.open(encoding="utf-8")))
    header = rows[0]
    femmes = header.index("Dont nombre de femmes")
    participants = next(i for i, h in enumerate(header) if h.startswith("Nombre de participants"))
    rows[1][femmes] = "25 %"  # 28 participants → 7 women, flagged
    rows[7][femmes] = "25 %"
    rows[7][participants] = ""  # no base: rejected, never guessed
    path = tmp_path / MINI.name
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    load(tmp_path, reference_dir, path)
    found = query(
        tmp_path,
        "select ligne, regle, severite, valeur from rejets where champ = 'nb_femmes' order by 1",
    )
    assert (2, "effectif_calcule", "avertissement", "25 %") in found
    assert any(r[1] == "base_inconnue" and r[2] == "erreur" for r in found)
    ((message,),) = query(tmp_path, "select message from rejets where regle = 'effectif_calcule'")
    # what was decided: the base and the number kept
    assert "appliqué à 28 (participants (personnes en insertion)) : 7 retenu" in message
    (women,) = query(
        tmp_path, "select nb_femmes from reponses where ligne = 2 and fichier = ?", [MINI.name]
    )
    assert women == (7,)


def test_column_order_does_not_depend_on_load_order(tmp_path: Path, reference_dir: Path) -> None:
    from etl import demo

    exports = demo.generate_demo(tmp_path / "raw", seed=7)
    orders = []
    for name, sequence in (("a", exports), ("b", list(reversed(exports)))):
        target = tmp_path / f"{name}.duckdb"
        for export in sequence:
            warehouse.load_files(
                [export.path], export.edition, warehouse=target, ref_dir=reference_dir
            )
        con = duckdb.connect(str(target), read_only=True)
        try:
            orders.append([r[0] for r in con.sql("describe candidatures").fetchall()])
        finally:
            con.close()
    assert orders[0] == orders[1]


def test_two_projects_sent_in_the_same_second_get_distinct_ids(
    tmp_path: Path, reference_dir: Path
) -> None:
    """A line copied then given another title (same respondent, same timestamp) is a second
    project: it must not share the first one's id."""
    rows = list(csv.reader(MINI.open(encoding="utf-8")))
    header = rows[0]
    title = next(i for i, h in enumerate(header) if "Intitulé" in h or "Titre" in h)
    twin = list(rows[1])
    twin[title] = twin[title] + " (second projet)"
    path = tmp_path / "jumeaux.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, rows[1], twin])
    (report,) = load(tmp_path, reference_dir, path)
    ids = query(tmp_path, "select candidature_id from candidatures order by 1")
    assert report.lignes_chargees == 2
    assert len({i for (i,) in ids}) == 2
