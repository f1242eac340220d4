"""The analysts' notebooks run end to end on the demo warehouse, end with assertions on
what they showed, and are committed without outputs.

Each notebook is executed once per test session with nbclient, on the project's own
Python (the ``python3`` kernel resolved on the venv's PATH), with ``TROPHEES_DATA_DIR``
pointing at the demo data built by ``conftest.demo_data_dir``. What a notebook showed is
written by ``etl.semantic.analysis.publier`` to a JSON file, read back here and by
``tests/etl/test_semantic.py`` (which compares it with the app).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from etl import paths
from etl.semantic import analysis
from tests.helpers import app_data_dir

NOTEBOOKS_DIR = paths.ROOT / "notebooks"
NOTEBOOKS = sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb"))
TERMINE = "Vérifications passées."
VIDER = "make notebooks-propres"


@dataclass(frozen=True)
class Execution:
    """An executed notebook: the notebook with its outputs, what it published, how long."""

    notebook: Any
    resultats: dict[str, Any]
    secondes: float


def kernel_env(data_dir: Path, resultats: Path) -> dict[str, str]:
    """The kernel's environment: the demo data, the results file, this venv first on PATH."""
    env = dict(os.environ)
    env["TROPHEES_DATA_DIR"] = str(data_dir)
    env[analysis.RESULTATS_ENV] = str(resultats)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("TROPHEES_EDITION", None)
    return env


@functools.cache
def executer(nom: str, data_dir: Path) -> Execution:
    """Run one notebook of ``notebooks/`` on ``data_dir`` (once per session and data dir)."""
    notebook = nbformat.read(NOTEBOOKS_DIR / nom, as_version=4)
    resultats = data_dir / f"resultats-{Path(nom).stem}.json"
    resultats.unlink(missing_ok=True)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=120,
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    debut = time.perf_counter()
    client.execute(env=kernel_env(data_dir, resultats), cwd=str(NOTEBOOKS_DIR))
    secondes = time.perf_counter() - debut
    publie = json.loads(resultats.read_text(encoding="utf-8"))
    return Execution(notebook, publie, secondes)


def texte_des_sorties(notebook: Any) -> str:
    """Every stream and text output of an executed notebook, joined."""
    morceaux = []
    for cell in notebook.cells:
        for sortie in cell.get("outputs", []):
            if sortie.get("output_type") == "stream":
                morceaux.append(sortie["text"])
            elif "data" in sortie and "text/plain" in sortie["data"]:
                morceaux.append(sortie["data"]["text/plain"])
    return "\n".join(morceaux)


def test_there_are_the_three_notebooks() -> None:
    assert NOTEBOOKS == [
        "01-decouvrir-les-candidatures.ipynb",
        "02-comparer-les-territoires.ipynb",
        "03-equite-du-palmares.ipynb",
    ]


@pytest.mark.parametrize("nom", NOTEBOOKS)
def test_committed_notebooks_have_no_outputs(nom: str) -> None:
    notebook = nbformat.read(NOTEBOOKS_DIR / nom, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code, "un notebook sans code"
    for cell in code:
        assert cell.outputs == [], f"{nom} : sorties enregistrées — {VIDER}"
        assert cell.execution_count is None, f"{nom} : numéro d'exécution enregistré — {VIDER}"
    # the story is told in French, with headings
    titres = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    assert titres[0].startswith("# ")
    assert sum(s.count("\n## ") + s.startswith("## ") for s in titres) >= 3


def test_the_python3_kernel_is_this_venv(tmp_path: Path) -> None:
    spec = KernelSpecManager().get_kernel_spec("python3")
    env = kernel_env(tmp_path, tmp_path / "r.json")
    programme = shutil.which(spec.argv[0], path=env["PATH"])
    assert programme is not None
    assert Path(programme).parent == Path(sys.executable).parent


@pytest.fixture(scope="module")
def jury_data_dir(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse plus a fictitious deliberation (``trophees jury demo``'s code),
    in a data dir of its own so the shared demo dir keeps no deliberation store."""
    from dashboard.jury.demo import fill_demo
    from dashboard.jury.store import Store

    data = tmp_path_factory.mktemp("donnees-jury")
    (data / "reference").symlink_to(demo_data_dir / "reference")
    (data / "warehouse.duckdb").symlink_to(demo_data_dir / "warehouse.duckdb")
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        fill_demo(store, warehouse=data / "warehouse.duckdb")
    return data


DONNEES = {"03-equite-du-palmares.ipynb": "jury_data_dir"}
"""Notebook → fixture of its data dir (default: the demo warehouse alone)."""


@pytest.mark.parametrize("nom", NOTEBOOKS)
def test_notebook_runs_end_to_end_and_checks_what_it_showed(
    nom: str, request: pytest.FixtureRequest
) -> None:
    data_dir: Path = request.getfixturevalue(DONNEES.get(nom, "demo_data_dir"))
    execution = executer(nom, data_dir)
    sorties = texte_des_sorties(execution.notebook)
    assert "Données FICTIVES" in sorties  # the demo is labelled as such
    assert sorties.rstrip().endswith(TERMINE)  # the final assertions ran
    last = execution.notebook.cells[-1]
    assert "assert " in last.source and "analysis.publier(" in last.source
    charts = [
        o
        for c in execution.notebook.cells
        for o in c.get("outputs", [])
        if "application/vnd.plotly.v1+json" in o.get("data", {})
    ]
    assert len(charts) >= 3, f"{nom} : au moins trois graphiques"
    assert execution.resultats["edition"] == 2024
    print(f"{nom} : {execution.secondes:.1f} s")
    assert execution.secondes < 60


def test_fairness_notebook_read_the_jury_store(request: pytest.FixtureRequest) -> None:
    data_dir: Path = request.getfixturevalue("jury_data_dir")
    execution = executer("03-equite-du-palmares.ipynb", data_dir)
    shown = execution.resultats
    assert shown["jury"] is True
    funnel = shown["entonnoir"]
    assert funnel["candidatures"] >= funnel["eligibles"] >= funnel["preselectionnees"]
    assert funnel["preselectionnees"] >= funnel["laureates"] > 0
    assert len(shown["severite"]) >= 2
    assert "Délibérations lues dans" in texte_des_sorties(execution.notebook)
    # the store was only read: still there, untouched by the notebook
    assert (data_dir / "deliberations.duckdb").exists()


def test_fairness_notebook_without_deliberation_stops_at_eligibility(
    demo_data_dir: Path, tmp_path: Path
) -> None:
    # a data dir of its own: other tests may have written a store beside the shared demo
    data_dir = app_data_dir(demo_data_dir, tmp_path / "sans-jury")
    assert not (data_dir / "deliberations.duckdb").exists()
    execution = executer("03-equite-du-palmares.ipynb", data_dir)
    shown = execution.resultats
    assert shown["jury"] is False and shown["severite"] is None
    assert shown["entonnoir"]["eligibles"] > 0
    assert shown["entonnoir"]["preselectionnees"] == shown["entonnoir"]["laureates"] == 0
    assert "Pas encore de délibération" in texte_des_sorties(execution.notebook)


@pytest.mark.parametrize("nom", NOTEBOOKS)
def test_notebook_runs_on_a_form_that_asked_only_the_required_questions(
    nom: str, minimal_data_dir: Path
) -> None:
    execution = executer(nom, minimal_data_dir)
    assert texte_des_sorties(execution.notebook).rstrip().endswith(TERMINE)
    assert execution.resultats["edition"] == 2023
