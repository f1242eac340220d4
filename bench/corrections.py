"""Cost of the organiser's corrections at load time, for ``make bench``.

``correction_rechargement_ratio``: the demo's 2023 export (84 fictitious candidatures)
loaded into a new warehouse while the corrections register holds 200 active
corrections (values, territories, eligibility decisions, withdrawals), against the same
load with an empty register; best of three each, alternated, same run. Every load
applies the register (``etl/warehouse/corrected.py``), so this is what the organiser
waits for after each « Charger » once corrections pile up.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from bench.load import Figure
from bench.support import data_dir_env
from etl import demo, editions, paths, warehouse
from etl.corrections import Correction, Decision, Kind, prepare, store

CORRECTIONS = 200
ANNEE = 2023
REPEAT = 3


def _data_dir(root: Path, name: str) -> Path:
    data = root / name
    data.mkdir()
    (data / "reference").symlink_to(paths.reference_dir())
    return data


def _load(data: Path, export: Path) -> float:
    """Seconds of a load of ``export`` into a new warehouse of ``data`` (its register)."""
    target = data / "warehouse.duckdb"
    with data_dir_env(data):
        target.unlink(missing_ok=True)
        start = time.perf_counter()
        warehouse.load_files([export], ANNEE, warehouse=target, fictif=True)
        return time.perf_counter() - start


def _register(data: Path, export: Path) -> int:
    """200 corrections on the candidatures of ``export``, recorded in ``data``'s register
    (a first load of ``data`` gives the ids and the typed values)."""
    edition = editions.load_editions()[ANNEE]
    _load(data, export)
    categorie = edition.categories[0].code
    with data_dir_env(data), warehouse.connect(data / "warehouse.duckdb") as con:
        ids = [r[0] for r in con.sql("select candidature_id from candidatures").fetchall()]
        asked: list[Correction] = []
        slots = [
            lambda cid: Correction(
                ANNEE,
                cid,
                Kind.VALEUR,
                "chiffre annuel",
                "bench",
                "heures_insertion",
                valeur="1000",
            ),
            lambda cid: Correction(
                ANNEE, cid, Kind.TERRITOIRE, "commune confirmée", "bench", valeur="93066"
            ),
            lambda cid: Correction(ANNEE, cid, Kind.EXCLUSION, "cumul", "bench", "nb_participants"),
            lambda cid: Correction(
                ANNEE,
                cid,
                Kind.ELIGIBILITE,
                "admise par le jury",
                "bench",
                categorie=categorie,
                valeur=Decision.ADMISE.value,
            ),
        ]
        for i in range(CORRECTIONS):
            cid = ids[i % len(ids)]
            asked.append(slots[(i // len(ids)) % len(slots)](cid))
        ready = [prepare(c, edition, con) for c in asked]
        with store.connect() as registre:
            for c in ready:
                store.add(registre, c)
            return len(store.corrections(registre, ANNEE))


def measure() -> Iterable[Figure]:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        export = next(
            e.path
            for e in demo.generate_demo(tmp / "raw", seed=2023)
            if e.path.name == f"reponses-trophees-{ANNEE}.csv"
        )
        sans = _data_dir(tmp, "sans-corrections")
        avec = _data_dir(tmp, "avec-corrections")
        recorded = _register(avec, export)
        assert recorded == CORRECTIONS, recorded
        _load(sans, export)  # warm both paths once
        _load(avec, export)
        times_sans, times_avec = [], []
        for _ in range(REPEAT):
            times_sans.append(_load(sans, export))
            times_avec.append(_load(avec, export))
        with data_dir_env(avec), warehouse.connect(avec / "warehouse.duckdb") as con:
            ((applied,),) = con.sql(
                "select count(*) from corrections where etat = 'appliquee'"
            ).fetchall()
    yield Figure.judged(
        "correction_rechargement_ratio",
        round(min(times_avec), 3),
        "s",
        round(min(times_sans), 3),
        target=1.2,
        sens="<=",
        description=(
            f"Chargement de l'export de démonstration 2023 dans un entrepôt neuf avec "
            f"{CORRECTIONS} corrections actives au registre ({applied} appliquées : valeurs, "
            "territoires, exclusions, éligibilité) rapporté au même chargement sans "
            f"correction (meilleur de {REPEAT}, en alternance)"
        ),
    )
