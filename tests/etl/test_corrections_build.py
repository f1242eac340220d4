"""Corrections applied by every build: a value overridden, a value excluded, a candidature
withdrawn, an identical reload that re-applies a changed correction, a re-export that puts
a correction « à revoir », an undo, and a purge that keeps the applied corrections."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dashboard.cli import main
from etl import warehouse
from tests.helpers import MINI, warehouse_rows


@pytest.fixture
def data(tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "donnees"
    (data / "raw" / "2023").mkdir(parents=True)
    (data / "reference").symlink_to(reference_dir)
    shutil.copy(MINI, data / "raw" / "2023" / MINI.name)
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    load(data, reference_dir)
    return data


def load(data: Path, reference_dir: Path, source: Path | None = None) -> None:
    kept = data / "raw" / "2023" / MINI.name
    if source is not None:
        shutil.copy(source, kept)
    warehouse.load_files([kept], 2023, warehouse=data / "warehouse.duckdb", ref_dir=reference_dir)


def record(nature: str, cid: str, *extra: str) -> None:
    """A correction recorded the organiser's way (the console), typed value read by it."""
    args = ["corrections", "ajouter", "--edition", "2023", "--candidature", cid]
    args += ["--nature", nature, *extra, "--motif", "vérifié par téléphone"]
    assert main(args) == 0


def counted(data: Path) -> list[str]:
    """Candidatures with hours, fewest first (ties by id)."""
    rows = warehouse_rows(
        data,
        "select candidature_id from candidatures where heures_insertion is not null "
        "order by heures_insertion, candidature_id",
    )
    return [str(r[0]) for r in rows]


def hours(data: Path) -> dict[str, tuple[object, object]]:
    rows = warehouse_rows(
        data, "select candidature_id, heures_insertion, corrige from candidatures"
    )
    return {str(r[0]): (r[1], r[2]) for r in rows}


def test_a_reload_applies_corrections_and_lists_what_to_review(
    data: Path, reference_dir: Path
) -> None:
    before = hours(data)
    first, second, third = counted(data)[:3]
    assert all(corrige is False for _, corrige in before.values())
    total = warehouse_rows(data, "select sum(heures_insertion) from candidatures")[0][0]

    record("valeur", first, "--champ", "heures_insertion", "--valeur", "2800")
    record("exclusion", second, "--champ", "heures_insertion")
    record("retrait", third)
    # the same file again: nothing to read, but the corrections changed
    load(data, reference_dir)
    after = hours(data)
    assert after[first] == (2800, True)
    assert after[second] == (None, True)
    assert third not in after
    assert warehouse_rows(data, "select statut_correction from candidatures_ecartees") == [
        ("retiree",)
    ]
    assert warehouse_rows(
        data, "select count(*) from candidature_categories where candidature_id = ?", [third]
    ) == [(0,)]
    expected = total - before[first][0] - before[second][0] - before[third][0] + 2800
    assert warehouse_rows(data, "select sum(heures_insertion) from candidatures")[0][0] == (
        expected
    )
    # the raw answers stay as read
    assert warehouse_rows(
        data,
        "select heures_insertion from reponses where candidature_id = ? "
        "and statut_version = 'courante'",
        [first],
    ) == [(before[first][0],)]
    states = warehouse_rows(data, "select etat from corrections order by correction_id")
    assert states == [("appliquee",), ("appliquee",), ("appliquee",)]


def test_a_changed_export_puts_the_correction_to_review_and_undo_restores(
    data: Path, reference_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ((cid, typed),) = warehouse_rows(
        data,
        "select candidature_id, heures_insertion from candidatures "
        "where structure_nom = 'Maison de l''Emploi Fictive'",
    )
    assert typed == 1234.5
    record("valeur", cid, "--champ", "heures_insertion", "--valeur", "2800")
    capsys.readouterr()
    assert main(["corrections", "appliquer"]) == 0
    assert "1 correction appliquée, 0 correction à revoir." in capsys.readouterr().out
    assert hours(data)[cid] == (2800, True)

    # a re-export where these hours changed: the correction is not applied to the new value
    changed = tmp_path / MINI.name
    text = MINI.read_text(encoding="utf-8")
    assert text.count("1 234,5") == 1
    changed.write_text(text.replace("1 234,5", "1 500"), encoding="utf-8")
    load(data, reference_dir, changed)
    ((etat, revue),) = warehouse_rows(data, "select etat, revue from corrections")
    assert etat == "a_revoir"
    assert "la valeur saisie a changé depuis la correction : « 1234.5 » → « 1500 »" in revue
    assert hours(data)[cid] == (1500, False)
    assert main(["corrections", "appliquer"]) == 0
    assert "n° 1 (" in capsys.readouterr().out

    # undone (and recorded as such): the answer as read again
    assert main(["corrections", "annuler", "1", "--motif", "erreur de ma part"]) == 0
    load(data, reference_dir, MINI)
    assert hours(data)[cid] == (typed, False)
    assert warehouse_rows(data, "select count(*) from corrections") == [(0,)]


def test_a_purge_keeps_the_applied_corrections(data: Path, reference_dir: Path) -> None:
    cid = counted(data)[0]
    record("retrait", cid)
    assert warehouse.apply_corrections(data / "warehouse.duckdb", reference_dir) is True
    assert warehouse.apply_corrections(data / "warehouse.duckdb", reference_dir) is False
    warehouse.purge_contacts([2023], "fin de l'édition", data / "warehouse.duckdb", reference_dir)
    assert cid not in hours(data)


def test_the_fiche_says_what_the_organiser_corrected(data: Path, reference_dir: Path) -> None:
    from tests.dashboard.test_page_fiche import everything_shown, label, open_page

    ((cid, typed),) = warehouse_rows(
        data,
        "select candidature_id, heures_insertion from candidatures "
        "where structure_nom = 'Maison de l''Emploi Fictive'",
    )
    record("valeur", cid, "--champ", "heures_insertion", "--valeur", "2800")
    assert main(["corrections", "appliquer"]) == 0
    at = open_page("fiche", {"candidature": label(data, cid)})
    # as a person reads it: Markdown escapes and invisible word joiners dropped
    shown = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", everything_shown(at)).replace("\u2060", "")
    assert "Données corrigées par l'organisateur" in shown
    assert "valeur corrigée par l'organisateur le " in shown
    assert "en 2\u202f800 (valeur saisie : 1\u202f234,5) — motif : vérifié par téléphone" in shown
    assert typed == 1234.5


MAISON_LINE = "15/11/2023 10:12:00,b@exemple.fr,Maison de l'Emploi Fictive,"


def maison_and_plie(data: Path) -> tuple[str, str]:
    ((maison,),) = warehouse_rows(
        data,
        "select candidature_id from candidatures "
        "where structure_nom = 'Maison de l''Emploi Fictive'",
    )
    plie = next(c for c in counted(data) if c != maison)
    return str(maison), plie


def reexport(tmp_path: Path, change: str) -> Path:
    """The export again with the Maison de l'Emploi's row changed (« heures »,
    « territoire ») or gone (« sans »)."""
    lines = MINI.read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for line in lines:
        if line.startswith(MAISON_LINE):
            if change == "sans":
                continue
            if change == "heures":
                line = line.replace('"1 234,5"', "1 500")
            if change == "territoire":
                line = line.replace("Saint-Flour,15100,15", "Aurillac,15000,15")
        out.append(line)
    path = tmp_path / "reexport" / MINI.name
    path.parent.mkdir(exist_ok=True)
    path.write_text("".join(out), encoding="utf-8")
    return path


def maison_state(data: Path, maison: str, plie: str) -> dict[str, object]:
    """What each kind of correction changes, read from the views."""
    rows = warehouse_rows(
        data,
        "select heures_insertion, departement_code, corrige from candidatures "
        "where candidature_id = ?",
        [maison],
    )
    decision = warehouse_rows(
        data,
        "select decision_organisateur from candidature_categories "
        "where candidature_id = ? and categorie_code = 'RURAL'",
        [maison],
    )
    ecartee = warehouse_rows(
        data,
        "select statut_correction, fusionnee_dans from candidatures_ecartees "
        "where candidature_id = ?",
        [maison],
    )
    return {
        "ligne": rows[0] if rows else None,
        "decision": decision[0][0] if decision else None,
        "ecartee": ecartee[0] if ecartee else None,
        "plie": plie,
    }


# kind → (extra arguments, what the views show once applied, the re-export that makes it
# « à revoir »: the typed value it corrected changed, or the candidature is gone)
KINDS: dict[str, tuple[list[str], dict[str, object], str]] = {
    "valeur": (
        ["--champ", "heures_insertion", "--valeur", "2800"],
        {"ligne": (2800, "15", True)},
        "heures",
    ),
    "exclusion": (["--champ", "heures_insertion"], {"ligne": (None, "15", True)}, "heures"),
    "territoire": (["--valeur", "93066"], {"ligne": (1234.5, "93", True)}, "territoire"),
    "eligibilite": (
        ["--prix", "RURAL", "--valeur", "refusee"],
        {"decision": "refusee", "ligne": (1234.5, "15", True)},
        "sans",
    ),
    "fusion": ([], {"ligne": None, "ecartee": ("fusionnee", "PLIE")}, "sans"),
    "retrait": ([], {"ligne": None, "ecartee": ("retiree", None)}, "sans"),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_survives_reloads_goes_to_review_and_undoes(
    kind: str, data: Path, reference_dir: Path, tmp_path: Path
) -> None:
    maison, plie = maison_and_plie(data)
    untouched = maison_state(data, maison, plie)
    extra, applied, change = KINDS[kind]
    if kind == "fusion":
        extra = ["--valeur", plie]
    record(kind, maison, *extra)

    def expected() -> dict[str, object]:
        shown = {**untouched, **applied}
        if kind == "fusion":
            shown["ecartee"] = ("fusionnee", plie)
        return shown

    # identical reload: the correction applies
    load(data, reference_dir)
    assert maison_state(data, maison, plie) == expected()
    assert warehouse_rows(data, "select etat from corrections") == [("appliquee",)]
    # a re-export with another row changed: still applied
    other = reexport(tmp_path, "autre")
    other.write_text(
        other.read_text(encoding="utf-8").replace("12 000 h", "12 500 h", 1),
        encoding="utf-8",
    )
    load(data, reference_dir, other)
    assert warehouse_rows(data, "select etat from corrections") == [("appliquee",)]
    assert maison_state(data, maison, plie) == expected()
    # the re-export that changes what it corrected: « à revoir », never applied elsewhere
    load(data, reference_dir, reexport(tmp_path, change))
    ((etat, revue),) = warehouse_rows(data, "select etat, revue from corrections")
    assert etat == "a_revoir", revue
    assert revue
    assert warehouse_rows(data, "select count(*) from candidatures where corrige") == [(0,)]
    # undone: the export as read again, nothing corrected, the undo in the register
    assert main(["corrections", "annuler", "1", "--motif", "plus nécessaire"]) == 0
    load(data, reference_dir, MINI)
    assert maison_state(data, maison, plie) == untouched
    assert warehouse_rows(data, "select count(*) from corrections") == [(0,)]
