"""Vue d'ensemble (default page): the arrangement lives in ``dashboard.layouts``."""

from dashboard import filters
from dashboard.layouts import vue_ensemble

vue_ensemble.render(filters.current())
