"""The jury's deliberation: store, workflow, results, audit (no streamlit import).

Used by the app's jury pages, the CLI (``trophees jury …``, ``trophees sauvegarde``),
notebooks and the press kit. See docs/jury.md (« API pour les pages »).
"""
