"""Bench of what follows the ceremony: ``site_s`` (the whole public palmarès site) and
``lettres_s`` (every feedback letter, their ZIP, the all-in-one PDF and the mail-merge
file) for an edition of about 120 candidatures with a fictitious deliberation.

Baseline of both: a warm PNG render of the smallest useful figure (one Plotly bar chart),
measured in the same run, as for the press kit. Both are judged on their value (issue:
at most 30 s each).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import plotly.graph_objects as go

from bench.load import Figure, best_of
from bench.support import data_dir_env

SUBMISSIONS = 127
"""Form submissions generated: about 120 candidatures once resubmissions are merged."""
APRES_CEREMONIE = date(2024, 1, 15)


@contextmanager
def edition_with_deliberation(n: int = SUBMISSIONS) -> Iterator[Path]:
    """A temporary data dir: ``n`` fictitious 2023 submissions through the real ETL, then a
    fictitious deliberation (jurors, scores, laureates)."""
    from dashboard.jury.demo import fill_demo
    from dashboard.jury.store import Store
    from etl import demo, editions, paths, warehouse

    with tempfile.TemporaryDirectory() as tmp_name:
        data = Path(tmp_name)
        (data / "reference").symlink_to(paths.reference_dir())
        target = data / "warehouse.duckdb"
        export = demo.generate_export(editions.load_editions()[2023], n, 2023, data / "e.csv")
        warehouse.load_files(
            [export.path], 2023, warehouse=target, ref_dir=paths.reference_dir(), fictif=True
        )
        with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
            fill_demo(store, warehouse=target)
        with data_dir_env(data):
            yield data


def measure() -> Iterable[Figure]:
    from dashboard.exports import images
    from dashboard.jury import letters
    from dashboard.jury.store import open_reader
    from dashboard.site import build_site
    from etl import editions, warehouse
    from etl.warehouse import contacts

    with edition_with_deliberation() as data:
        con = warehouse.connect(data / "warehouse.duckdb")
        candidatures = con.sql("select count(*) from candidatures").fetchall()[0][0]
        con.close()
        yardstick = go.Figure(go.Bar(x=["a", "b", "c", "d", "e"], y=[3, 1, 4, 1, 5]))
        images.figure_bytes(yardstick, "png", 1200, 630)
        try:
            baseline = best_of(lambda: images.figure_bytes(yardstick, "png", 1200, 630), 5)
            images.stop()  # the site is timed from a cold start, as the CLI runs it
            start = time.perf_counter()
            report = build_site(2023, data / "site", aujourdhui=APRES_CEREMONIE)
            site_s = time.perf_counter() - start
        finally:
            images.stop()
        start = time.perf_counter()
        con = warehouse.connect(data / "warehouse.duckdb")
        addresses = contacts.mailing(con, 2023)
        con.close()
        with open_reader(data / "deliberations.duckdb") as reader:
            kit = letters.letters_kit(
                editions.load_editions()[2023],
                reader.con,
                day=APRES_CEREMONIE,
                contacts=addresses,
            )
        letters.write_letters(kit, data / "lettres", 2023)
        lettres_s = time.perf_counter() - start
    yield Figure.judged(
        "site_s",
        round(site_s, 3),
        "s",
        round(baseline, 4),
        target=30.0,
        sens="<=",
        cible_sur="valeur",
        description=(
            f"Site public du palmarès d'une édition de {candidatures} candidatures "
            f"({report.pages} pages, {report.laureats} lauréats : carte SVG, cartes des "
            "lauréats, mini-cartes), Chromium démarré à froid ; cible de l'issue : 30 s"
        ),
    )
    yield Figure.judged(
        "lettres_s",
        round(lettres_s, 3),
        "s",
        round(baseline, 4),
        target=30.0,
        sens="<=",
        cible_sur="valeur",
        description=(
            f"Toutes les lettres de retour de la même édition ({len(kit.pdfs)} PDF, leur ZIP, "
            "le PDF d'impression et le fichier de publipostage) ; cible de l'issue : 30 s"
        ),
    )
