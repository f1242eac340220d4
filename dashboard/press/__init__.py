"""Communication outputs (no streamlit import): key figures with sources and small-number
suppression, highlights, the laureates' embargo, social cards, one-page sheets, the
ceremony deck and the press kit. See ``docs/communication.md``."""
