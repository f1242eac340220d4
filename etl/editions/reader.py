"""Reading an edition TOML file: syntax, inheritance, typed keys, errors in French.

Every problem becomes an :class:`EditionConfigError` naming the file and the key path
(``categories[3].criteres[2].poids``; list positions count from 1, as a person reads).
:class:`ConfigTable` records which keys the builder asked for, so any other key is
reported as unknown with the closest known key as a suggestion.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from etl import paths
from etl.french import format_size_mb

NOT_INHERITED = frozenset({"edition", "calendrier", "categories", "herite_de"})
"""Top-level keys a child edition never takes from the edition it inherits from."""

ADDITIVE_SUFFIXES = ("_ajoutes", "_ajoutees")
"""Lists under keys with these suffixes add up along inheritance instead of replacing."""


class EditionConfigError(ValueError):
    """An edition file is invalid; the message (French) names the file and the key."""

    WHAT = "Configuration d'édition invalide"

    def __init__(self, fichier: Path, cle: str | None, message: str) -> None:
        self.fichier = fichier
        self.cle = cle
        self.detail = message
        ou = f", clé « {cle} »" if cle else ""
        super().__init__(f"{self.WHAT} ({display_path(fichier)}{ou}) : {message}")


class MappingError(EditionConfigError):
    """A mapping file (``--mapping``) is invalid: the message names it and the key."""

    WHAT = "Correspondance invalide"


def display_path(fichier: Path) -> str:
    """The file as a person finds it: relative to the project root when inside it."""
    try:
        return str(fichier.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(fichier)


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


TOML_MAX = 1024 * 1024
"""Largest configuration or mapping file read (octets): ``--mapping /dev/zero`` is refused
after a megabyte instead of filling the memory."""


def read_toml(
    fichier: Path,
    erreur: type[EditionConfigError] = EditionConfigError,
    max_bytes: int = TOML_MAX,
) -> dict[str, Any]:
    """The parsed TOML document; syntax errors name the line and column. A file larger than
    ``max_bytes`` (or an endless one, such as ``/dev/zero``) is refused unread."""
    try:
        with fichier.open("rb") as flux:
            brut = flux.read(max_bytes + 1)
    except FileNotFoundError as err:
        raise erreur(fichier, None, "fichier introuvable.") from err
    except IsADirectoryError as err:
        raise erreur(fichier, None, "c'est un dossier, pas un fichier.") from err
    except PermissionError as err:
        raise erreur(fichier, None, "fichier illisible : droits insuffisants.") from err
    except OSError as err:
        raise erreur(fichier, None, f"lecture impossible ({err.strerror}).") from err
    if len(brut) > max_bytes:
        message = (
            f"fichier trop gros pour une configuration (plus de {format_size_mb(max_bytes)}) : "
            "vérifiez le chemin donné."
        )
        raise erreur(fichier, None, message)
    try:
        texte = brut.decode("utf-8")
    except UnicodeDecodeError as err:
        raise erreur(fichier, None, "le fichier doit être encodé en UTF-8.") from err
    try:
        return tomllib.loads(texte)
    except tomllib.TOMLDecodeError as err:
        position = _TOML_POSITION.search(str(err))
        ou = (
            f"ligne {position.group(1)}, colonne {position.group(2)}"
            if position
            else "position inconnue"
        )
        cause = _TOML_POSITION.sub("", str(err)).strip()
        message = (
            f"erreur de syntaxe TOML {ou} ({cause}). Vérifiez les guillemets, les crochets "
            "et le signe « = » ; une date s'écrit 2024-11-08 ou 2024-11-08T16:00:00."
        )
        raise erreur(fichier, None, message) from err


def merge_inherited(parent: Mapping[str, Any], enfant: Mapping[str, Any]) -> dict[str, Any]:
    """``enfant`` completed by ``parent`` (inheritance, see ``docs/editions.md``).

    Top-level :data:`NOT_INHERITED` keys are never taken from the parent. Tables merge
    key by key, the child winning; lists and values are replaced whole, except lists under
    a key ending in ``_ajoutes``/``_ajoutees``, which are concatenated (parent first).
    """
    base = {k: v for k, v in parent.items() if k not in NOT_INHERITED}
    return deep_merge(base, enfant)


def deep_merge(base: Mapping[str, Any], dessus: Mapping[str, Any]) -> dict[str, Any]:
    resultat = dict(base)
    for cle, valeur in dessus.items():
        ancien = resultat.get(cle)
        if isinstance(ancien, dict) and isinstance(valeur, dict):
            resultat[cle] = deep_merge(ancien, valeur)
        elif (
            cle.endswith(ADDITIVE_SUFFIXES)
            and isinstance(ancien, list)
            and isinstance(valeur, list)
        ):
            resultat[cle] = [*ancien, *valeur]
        else:
            resultat[cle] = valeur
    return resultat


_TOML_TYPE_FR = {
    bool: "un booléen (true/false)",
    int: "un nombre entier",
    float: "un nombre décimal",
    str: "un texte entre guillemets",
    list: "une liste [ … ]",
    dict: "une table",
    datetime: "une date et heure",
    date: "une date",
    time: "une heure",
}


def _type_fr(valeur: object) -> str:
    for python_type, nom in _TOML_TYPE_FR.items():
        if type(valeur) is python_type:
            return nom
    return type(valeur).__name__


class ConfigTable:
    """A TOML table read by the builder, with typed getters and unknown-key detection."""

    def __init__(
        self,
        data: Mapping[str, Any],
        fichier: Path,
        chemin: str = "",
        erreur: type[EditionConfigError] = EditionConfigError,
    ) -> None:
        self.data = data
        self.fichier = fichier
        self.chemin = chemin
        self.erreur = erreur
        self._connues: set[str] = set()

    def path_of(self, cle: str) -> str:
        """Dotted key path of ``cle`` inside this table."""
        return f"{self.chemin}.{cle}" if self.chemin else cle

    def error(self, cle: str | None, message: str) -> EditionConfigError:
        """An error about ``cle`` of this table (or the table itself when ``None``)."""
        return self.erreur(self.fichier, self.path_of(cle) if cle else self.chemin, message)

    def has(self, cle: str) -> bool:
        """Whether the key is present (and mark it as known)."""
        self._connues.add(cle)
        return cle in self.data

    def _get(self, cle: str, attendu: type | tuple[type, ...], nom: str, requis: bool) -> Any:
        self._connues.add(cle)
        if cle not in self.data:
            if requis:
                raise self.error(
                    cle, f"clé obligatoire manquante (attendu : {nom}).{self._typo(cle)}"
                )
            return None
        valeur = self.data[cle]
        ok = isinstance(valeur, attendu) and not (
            isinstance(valeur, bool) and bool not in _as_tuple(attendu)
        )
        if not ok:
            raise self.error(cle, f"attendu {nom}, trouvé {_type_fr(valeur)} ({valeur!r}).")
        return valeur

    def text(self, cle: str) -> str:
        """A required non-empty string."""
        valeur: str = self._get(cle, str, "un texte entre guillemets", True)
        if not valeur.strip():
            raise self.error(cle, "le texte est vide.")
        return valeur.strip()

    def optional_text(self, cle: str) -> str | None:
        """An optional non-empty string."""
        return self.text(cle) if self.has(cle) else None

    def integer(self, cle: str, *, minimum: int | None = None) -> int:
        """A required integer, at least ``minimum`` when given."""
        valeur: int = self._get(cle, int, "un nombre entier", True)
        if minimum is not None and valeur < minimum:
            raise self.error(cle, f"la valeur {valeur} doit être au moins {minimum}.")
        return valeur

    def optional_integer(self, cle: str, *, minimum: int | None = None) -> int | None:
        """An optional integer."""
        return self.integer(cle, minimum=minimum) if self.has(cle) else None

    def boolean(self, cle: str, defaut: bool) -> bool:
        """An optional boolean with a default."""
        valeur: bool | None = self._get(cle, bool, "true ou false", False)
        return defaut if valeur is None else valeur

    def text_list(self, cle: str, *, requis: bool = False) -> tuple[str, ...]:
        """A list of non-empty strings (empty tuple when absent and not required)."""
        valeur: list[Any] | None = self._get(cle, list, "une liste de textes", requis)
        if valeur is None:
            return ()
        for position, element in enumerate(valeur, start=1):
            if not isinstance(element, str) or not element.strip():
                raise self.error(
                    f"{cle}[{position}]", f"attendu un texte non vide, trouvé {element!r}."
                )
        if requis and not valeur:
            raise self.error(cle, "la liste ne doit pas être vide.")
        return tuple(e.strip() for e in valeur)

    def table(self, cle: str) -> ConfigTable:
        """A required sub-table."""
        valeur: dict[str, Any] = self._get(cle, dict, f"une table [{self.path_of(cle)}]", True)
        return ConfigTable(valeur, self.fichier, self.path_of(cle), self.erreur)

    def optional_table(self, cle: str) -> ConfigTable | None:
        """An optional sub-table."""
        return self.table(cle) if self.has(cle) else None

    def table_list(self, cle: str) -> list[ConfigTable]:
        """A required non-empty array of tables (``[[cle]]``); paths count from 1."""
        valeur: list[Any] = self._get(cle, list, f"des tables [[{self.path_of(cle)}]]", True)
        if not valeur:
            raise self.error(cle, f"au moins une table [[{self.path_of(cle)}]] est attendue.")
        tables = []
        for position, element in enumerate(valeur, start=1):
            chemin = f"{self.path_of(cle)}[{position}]"
            if not isinstance(element, dict):
                raise self.erreur(self.fichier, chemin, "attendu une table.")
            tables.append(ConfigTable(element, self.fichier, chemin, self.erreur))
        return tables

    def named_tables(self, cle: str) -> Iterator[tuple[str, ConfigTable]]:
        """The sub-tables of ``[cle]`` keyed by free names (fields, vocabularies…)."""
        return self.table(cle).sub_tables()

    def sub_tables(self) -> Iterator[tuple[str, ConfigTable]]:
        """Every key of this table, each required to be a sub-table, with its name."""
        for nom in list(self.data):
            yield nom, self.table(nom)

    def raw_text(self, cle: str) -> str | None:
        """An optional non-empty string kept as written (spaces matter, e.g. separators)."""
        valeur: str | None = self._get(cle, str, "un texte entre guillemets", False)
        if valeur == "":
            raise self.error(cle, "le texte est vide.")
        return valeur

    def _typo(self, cle: str) -> str:
        autres = [k for k in self.data if k != cle]
        proches = difflib.get_close_matches(cle, autres, n=1, cutoff=0.6)
        return f" La clé « {proches[0]} » est-elle une faute de frappe ?" if proches else ""

    def moment(self, cle: str, fuseau: ZoneInfo, *, heure_requise: bool) -> datetime | None:
        """A TOML date or date-time read in ``fuseau`` (``None`` when absent).

        A date alone means 00:00 that day, unless ``heure_requise``; a date-time with an
        offset is converted to ``fuseau``.
        """
        self._connues.add(cle)
        if cle not in self.data:
            return None
        valeur = self.data[cle]
        exemple = "2024-11-08T16:00:00" if heure_requise else "2024-11-08"
        if isinstance(valeur, datetime):
            if valeur.tzinfo is None:
                return valeur.replace(tzinfo=fuseau)
            return valeur.astimezone(fuseau)
        if isinstance(valeur, date):
            if heure_requise:
                raise self.error(
                    cle, f"l'heure est obligatoire ici : écrivez par exemple {exemple}."
                )
            return datetime.combine(valeur, time(0, 0), tzinfo=fuseau)
        raise self.error(
            cle,
            f"date invalide {valeur!r} : écrivez-la sans guillemets au format AAAA-MM-JJ "
            f"(heure : AAAA-MM-JJTHH:MM:SS), par exemple {exemple}.",
        )

    def finish(self) -> None:
        """Fail on any key the builder did not ask for, suggesting the closest known key."""
        for cle in self.data:
            if cle in self._connues:
                continue
            proches = difflib.get_close_matches(cle, sorted(self._connues), n=1, cutoff=0.6)
            conseil = f" Vouliez-vous dire « {proches[0]} » ?" if proches else ""
            connues = ", ".join(sorted(self._connues))
            raise self.error(cle, f"clé inconnue.{conseil} Clés possibles ici : {connues}.")


def _as_tuple(attendu: type | tuple[type, ...]) -> tuple[type, ...]:
    return attendu if isinstance(attendu, tuple) else (attendu,)
