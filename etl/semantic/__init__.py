"""The semantic layer: what each figure means, defined once for the app, the notebooks,
the press kit and every generated document.

- :mod:`etl.semantic.indicators` — the indicators a candidature is compared on;
- :mod:`etl.semantic.key_figures` — key figures of a set of candidatures;
- :mod:`etl.semantic.national` — national reference figures, with their scope and source;
- :mod:`etl.semantic.naming` — how people name a candidature (« structure — projet »);
- :mod:`etl.semantic.analysis` — the analysts' entry point: polars frames filtered as the
  app filters.
"""
