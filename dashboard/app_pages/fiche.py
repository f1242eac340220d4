"""Fiche candidature."""

from __future__ import annotations

import streamlit as st

from dashboard import filters, queries
from etl.fmt_fr import format_entier

st.title("Fiche candidature")
frame = queries.candidatures(filters.current())
st.metric("Candidatures", format_entier(frame.height))
