"""Page bodies as functions: ``render()`` arranges a page from ``queries`` and ``charts``.

A page script under ``app_pages/`` then holds one call. Streamlit runs a page script
anew at every interaction, and AppTest (tests and ``make bench``) recompiles it — with
Streamlit's « magic » rewrite — at every rerun: ~2.7 ms for a 120-line page, as much as
rendering it. Code in an imported module is compiled once per process, as in production.
Same rules as pages: no SQL, no figure styling, no candidate text as HTML.
"""
