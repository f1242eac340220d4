"""Edition configuration: one TOML file per edition of the awards, loaded and validated.

Public API (the format itself is documented for organisers in ``docs/editions.md``):

- :func:`load_edition` / :func:`load_editions` → :class:`Edition`;
- :class:`EditionConfigError`: a French message naming the file and the key path;
- :func:`normalise_header`: the matching key of a form header or answer;
- the dataclasses :class:`Edition`, :class:`Calendar`, :class:`Category`,
  :class:`Criterion`, :class:`EligibilityRules`, :class:`FormField`, :class:`Vocabulary`,
  and :class:`~etl.rural.RuralThresholds`.

Module layout: ``model`` (dataclasses), ``reader`` (TOML, inheritance, typed keys,
errors), ``build`` (validation), ``eligibility``, ``summary`` (French text). A mapping
file completing an edition for one export is read by ``etl.mapping``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from etl import paths
from etl.editions.build import POIDS_TOTAL, build_edition
from etl.editions.model import (
    AUTRE,
    AUTRE_SUFFIX,
    CATEGORIES_VOCABULARY,
    ESSENTIAL_FIELDS,
    FIELD_TYPES,
    Calendar,
    Category,
    Choice,
    Criterion,
    Edition,
    EligibilityRules,
    FieldType,
    FormField,
    MultipleChoice,
    Vocabulary,
    VocabularyValue,
    normalise_header,
)
from etl.editions.reader import (
    ConfigTable,
    EditionConfigError,
    MappingError,
    deep_merge,
    display_path,
    merge_inherited,
    read_toml,
)
from etl.rural import RuralThresholds

__all__ = [
    "AUTRE",
    "AUTRE_SUFFIX",
    "CATEGORIES_VOCABULARY",
    "ESSENTIAL_FIELDS",
    "FIELD_TYPES",
    "POIDS_TOTAL",
    "Calendar",
    "Category",
    "Choice",
    "ConfigTable",
    "Criterion",
    "Edition",
    "EditionConfigError",
    "EligibilityRules",
    "FieldType",
    "FormField",
    "MappingError",
    "MultipleChoice",
    "RuralThresholds",
    "Vocabulary",
    "VocabularyValue",
    "deep_merge",
    "display_path",
    "edition_document",
    "load_edition",
    "load_editions",
    "normalise_header",
    "read_toml",
]


class _Loader:
    """Loads edition files once each, resolving ``herite_de`` and ``precedente``.

    Both must name an earlier edition, found as ``<annee>.toml`` next to the file, so
    chains always end and never loop.
    """

    def __init__(self) -> None:
        self._documents: dict[Path, dict[str, Any]] = {}
        self._editions: dict[Path, Edition] = {}
        self._en_cours: list[Path] = []

    def document(self, fichier: Path) -> dict[str, Any]:
        """The file's TOML merged with everything it inherits."""
        fichier = fichier.resolve()
        if fichier not in self._documents:
            brut = read_toml(fichier)
            parent = brut.get("herite_de")
            if parent is not None:
                parent_fichier = self._sibling(fichier, parent, "herite_de")
                self.edition(parent_fichier)  # the parent must be valid on its own
                brut = merge_inherited(self.document(parent_fichier), brut)
            self._documents[fichier] = brut
        return self._documents[fichier]

    def edition(self, fichier: Path) -> Edition:
        """The validated edition of ``fichier``."""
        fichier = fichier.resolve()
        if fichier in self._en_cours:
            chaine = " → ".join(f.name for f in [*self._en_cours, fichier])
            message = f"références circulaires entre éditions ({chaine})."
            raise EditionConfigError(self._en_cours[-1], "herite_de", message)
        if fichier not in self._editions:
            self._en_cours.append(fichier)
            try:
                edition = build_edition(self.document(fichier), fichier)
                if edition.precedente is not None:
                    self._check_continuity(edition, fichier)
            finally:
                self._en_cours.pop()
            self._editions[fichier] = edition
        return self._editions[fichier]

    def _sibling(self, fichier: Path, annee: object, cle: str) -> Path:
        if not isinstance(annee, int) or isinstance(annee, bool):
            message = f"attendu une année (nombre entier), trouvé {annee!r}."
            raise EditionConfigError(fichier, cle, message)
        voisin = fichier.with_name(f"{annee}.toml")
        if not voisin.is_file():
            message = f"l'édition {annee} est introuvable (fichier attendu : {voisin.name})."
            raise EditionConfigError(fichier, cle, message)
        return voisin

    def _check_continuity(self, edition: Edition, fichier: Path) -> None:
        voisin = self._sibling(fichier, edition.precedente, "edition.precedente")
        precedente = self.edition(voisin)
        codes = {c.code for c in precedente.categories}
        for position, categorie in enumerate(edition.categories, start=1):
            for code in categorie.suite_de:
                if code not in codes:
                    message = (
                        f"« {code} » n'est pas une catégorie de l'édition {precedente.annee} "
                        f"({', '.join(sorted(codes))})."
                    )
                    raise EditionConfigError(fichier, f"categories[{position}].suite_de", message)


def load_edition(path: Path) -> Edition:
    """The validated edition described by one TOML file (``EditionConfigError`` if not)."""
    return _Loader().edition(path)


def edition_document(path: Path) -> dict[str, Any]:
    """The TOML document of a valid edition, merged with what it inherits (the base a
    mapping file completes, see ``etl.mapping``)."""
    chargeur = _Loader()
    chargeur.edition(path)
    return chargeur.document(path)


def load_editions(directory: Path | None = None) -> dict[int, Edition]:
    """Every ``*.toml`` edition of ``directory`` (default ``paths.editions_dir()``), by year."""
    dossier = paths.editions_dir() if directory is None else directory
    chargeur = _Loader()
    editions: dict[int, Edition] = {}
    for fichier in sorted(dossier.glob("*.toml")):
        edition = chargeur.edition(fichier)
        if edition.annee in editions:
            autre = editions[edition.annee].source_fichier.name
            message = f"l'édition {edition.annee} est déjà décrite par {autre}."
            raise EditionConfigError(fichier, "edition.annee", message)
        editions[edition.annee] = edition
    return dict(sorted(editions.items()))
