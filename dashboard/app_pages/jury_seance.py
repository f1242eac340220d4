"""Séance du jury: the arrangement lives in ``dashboard.layouts.seance``."""

from dashboard.layouts import seance

seance.render()
