"""The organiser's corrections on the app side (no streamlit import): the console's
``trophees corrections`` (:mod:`dashboard.corrections.cli`). The corrections themselves —
kinds, checks, storage, application at each load — are in :mod:`etl.corrections`."""
