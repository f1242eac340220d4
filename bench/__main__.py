"""``python -m bench [--seulement NOM …]``: the whole suite behind ``make bench``."""

from __future__ import annotations

import argparse

from bench import app, load


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Mesure les performances et écrit data/bench/latest.json.",
    )
    parser.add_argument(
        "--seulement",
        action="append",
        help="Ne lance que ces mesures de l'ETL (nom, répétable) ; sans mesures de l'application.",
    )
    args = parser.parse_args()
    path = load.run_benchmarks(only=args.seulement)
    print(f"Mesures écrites dans {path}")
    if args.seulement:
        return 0
    return app.main()


if __name__ == "__main__":
    raise SystemExit(main())
