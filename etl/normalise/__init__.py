"""French hand-typed answers → typed values, each with the reason it was rejected or flagged.

One conceptual module (split in files by kind: ``nombres``, ``dates``, ``codes``); import
from here. Every reader takes a column name or a string expression and returns a
``Lecture``; ``normaliser(frame, {"heures": nombre("Heures", entier=True)})`` adds
``heures`` (typed value) and ``heures__code`` (null when read cleanly) in one lazy query.
The outcome of each cell follows from the pair (``statut``):

- no code → read as is;
- ``non_renseigne`` → empty cell or a null marker (``n/a``, ``NC``, ``-``, ``?``…): the
  value is null, **never 0**, and it is not an error;
- a code and a value → warning: the value is kept, a human should glance at it;
- a code and no value → rejection.

A cell carries one code, the most serious (rejection, then ambiguity, then approximation).
``MESSAGES`` holds one French template per code, ``message`` the full sentence. ``lire``
reads one value through the very same expressions, so scalar and vectorised agree.

Decisions (DOMAIN.md §4):

- ``,`` is always the decimal mark (``1,234`` is 1.234). A single ``.`` followed by exactly
  three digits (``1.234``) is ambiguous: read as thousands for integers, as a decimal
  otherwise, always with ``nombre_ambigu``. ``1.234,5``, ``1,234.5``, ``1.234.567`` and
  ``0.125`` are unambiguous.
- Percentages come back as fractions with the unit resolution in ``detail``; a bare
  number ≥ 1 in a percent field is ``pourcentage_ambigu`` unless the question asked in %.
- Naive timestamps are Paris local time (DST gaps rejected, DST repeats flagged).
- Phones stay text, French ones as ``0X XX XX XX XX``.
"""

from etl.normalise.base import (
    LABELS,
    MESSAGES,
    NON_RENSEIGNE,
    NULS,
    SUFFIXE_CODE,
    SUFFIXE_DETAIL,
    Entree,
    Lecture,
    Resultat,
    est_nul,
    lire,
    message,
    normaliser,
    statut,
    texte,
)
from etl.normalise.codes import (
    DEPARTEMENTS,
    FAUX,
    VRAI,
    booleen,
    code_postal,
    commune_insee,
    departement,
    email,
    siren,
    siret,
    telephone,
)
from etl.normalise.dates import PARIS, horodatage
from etl.normalise.numbers import (
    UNITES_EFFECTIFS,
    UNITES_EUROS,
    UNITES_HEURES,
    effectif_depuis_pourcentage,
    nombre,
    pourcentage,
)

__all__ = [
    "DEPARTEMENTS",
    "FAUX",
    "LABELS",
    "MESSAGES",
    "NON_RENSEIGNE",
    "NULS",
    "PARIS",
    "SUFFIXE_CODE",
    "SUFFIXE_DETAIL",
    "UNITES_EFFECTIFS",
    "UNITES_EUROS",
    "UNITES_HEURES",
    "VRAI",
    "Entree",
    "Lecture",
    "Resultat",
    "booleen",
    "code_postal",
    "commune_insee",
    "departement",
    "effectif_depuis_pourcentage",
    "email",
    "est_nul",
    "horodatage",
    "lire",
    "message",
    "nombre",
    "normaliser",
    "pourcentage",
    "siren",
    "siret",
    "statut",
    "telephone",
    "texte",
]
