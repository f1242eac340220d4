"""``make bench``: every performance figure, measured against a baseline of the same run.

Outside the installed package: only developers and CI's bench run need it. ``python -m
bench`` runs the ETL measures (:mod:`bench.load`), then the app's (:mod:`bench.app`), writes
``data/bench/latest.json`` and regenerates ``docs/performance.md`` (:mod:`bench.report`).
"""
