"""Corrections are recorded whole or not at all, undone without being forgotten, and
checked in French before they are recorded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from etl import editions
from etl.corrections import Correction, CorrectionInvalide, Kind
from etl.corrections import store as corrections_store
from etl.corrections.model import check

ROOT = Path(__file__).resolve().parents[2]


def edition() -> editions.Edition:
    return editions.load_editions()[2023]


def correction(**kw: object) -> Correction:
    values: dict[str, object] = {
        "edition": 2023,
        "candidature_id": "2023-abcdef0123",
        "nature": Kind.VALEUR,
        "champ": "heures_insertion",
        "valeur": "28 038,4",
        "motif": "Chiffre cumulé sur trois ans, confirmé par téléphone",
        "auteur": "admin",
    }
    values.update(kw)
    return Correction(**values)  # type: ignore[arg-type]


def test_a_correction_is_recorded_then_undone_but_kept(tmp_path: Path) -> None:
    path = tmp_path / "corrections.sqlite"
    with corrections_store.connect(path) as con:
        saved = corrections_store.add(con, check(correction(), edition()))
        assert saved.id == 1 and saved.valeur == "28038.4" and saved.cree_le is not None
        undone = corrections_store.undo(con, 1, "admin2", "  Erreur de saisie  ")
        assert not undone.active and undone.annulee_par == "admin2"
        assert undone.motif_annulation == "Erreur de saisie"
        assert corrections_store.corrections(con, 2023) == []
        assert [c.id for c in corrections_store.corrections(con, 2023, with_undone=True)] == [1]
        with pytest.raises(corrections_store.CorrectionIntrouvable, match="n° 1"):
            corrections_store.undo(con, 1, "admin", "encore")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"motif": "   "}, "motif est obligatoire"),
        ({"champ": "contact_email"}, "non corrigeable"),
        ({"champ": "projet_titre"}, "non corrigeable"),
        ({"valeur": "beaucoup"}, "Nombre attendu pour « Heures d'insertion"),
        ({"valeur": "-3"}, "ne peut pas être négatif"),
        ({"nature": Kind.TERRITOIRE, "champ": None, "valeur": "Saint-Denis"}, "Code INSEE"),
        ({"nature": Kind.ELIGIBILITE, "categorie": "XYZ", "valeur": "admise"}, "Prix « XYZ »"),
        ({"nature": Kind.ELIGIBILITE, "categorie": "RURAL", "valeur": "oui"}, "admise"),
        ({"nature": Kind.FUSION, "valeur": "2023-abcdef0123"}, "différente"),
    ],
)
def test_a_bad_correction_is_refused_in_french(changes: dict[str, object], message: str) -> None:
    with pytest.raises(CorrectionInvalide, match=message):
        check(correction(**changes), edition())


CHILD = """
import sys
from pathlib import Path
from etl import editions
from etl.corrections import Correction, Kind
from etl.corrections import store
from etl.corrections.model import check

edition = editions.load_editions()[2023]
with store.connect(Path(sys.argv[1])) as con:
    i = 0
    while True:
        c = check(Correction(2023, f"2023-{i:010d}", Kind.RETRAIT, "Retrait demandé " * 20,
                             "admin"), edition)
        saved = store.add(con, c)
        print(saved.id, flush=True)
        i += 1
"""


def test_a_killed_writer_loses_no_committed_correction_and_leaves_none_half_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "corrections.sqlite"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    committed = [int(child.stdout.readline()) for _ in range(40)]
    os.kill(child.pid, signal.SIGKILL)
    rest, _ = child.communicate(timeout=30)
    committed += [int(line) for line in rest.split()]
    assert child.returncode == -signal.SIGKILL
    with corrections_store.connect(path) as con:
        stored = corrections_store.corrections(con, 2023)
    ids = [c.id for c in stored]
    assert set(committed) <= set(ids)  # every acknowledged correction survived
    assert len(ids) <= len(committed) + 1  # at most the one being written, and then whole
    for c in stored:
        assert c.motif == ("Retrait demandé " * 20).strip() and c.cree_le is not None
