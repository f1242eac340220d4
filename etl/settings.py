"""The product's TOML settings, typed and validated once: ``config/app.toml``,
``config/jury.toml`` and ``config/references_nationales.toml``.

Each file is described by a pydantic model that forbids unknown keys and wrong types, so a
typo never falls back silently to a default: the organiser gets a French message naming the
file, the section and the key (with the nearest known key when one is close). Edition files
(``config/editions/``) have their own reader, which also handles inheritance.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from etl import paths


class ConfigError(ValueError):
    """A settings file that cannot be used as written (French message: file, key, rule)."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --------------------------------------------------------------------------- app.toml


class AccountsFile(_Section):
    fichier: str = "comptes.toml"
    """Accounts file (outside git), relative to the data directory unless absolute."""


class SessionLimits(_Section):
    duree_max_heures: float = Field(default=8, gt=0)
    inactivite_max_minutes: float = Field(default=60, gt=0)


class LoginLimits(_Section):
    # one identifier tried from one client (address)
    echecs_avant_attente: int = Field(default=3, ge=1)
    attente_secondes: float = Field(default=2, ge=0)
    echecs_avant_blocage: int = Field(default=5, ge=1)
    blocage_minutes: float = Field(default=15, gt=0)
    # one client, whatever the identifiers it tries
    echecs_par_adresse_avant_blocage: int = Field(default=30, ge=1)
    blocage_adresse_minutes: float = Field(default=15, gt=0)
    entete_adresse: str = ""
    """Header carrying the client's address set by a trusted reverse proxy (``X-Real-IP``);
    empty: the address of the connection itself."""
    verifications_simultanees: int = Field(default=4, ge=1, le=64)
    """Password checks run at the same time (argon2id takes 64 Mio each)."""


class Retention(_Section):
    contacts_mois: int = Field(default=6, ge=0)
    """Months after an edition's ceremony before its contacts are erased."""


class Intake(_Section):
    taille_max_mo: int = Field(default=20, ge=1, le=200)
    """Largest export accepted by « Charger un export » (Mo); Streamlit's own limit
    (``.streamlit/config.toml``, ``server.maxUploadSize``) must be at least as large."""


class AppSettings(_Section):
    """``config/app.toml``; every section and key is optional (defaults above)."""

    comptes: AccountsFile = AccountsFile()
    session: SessionLimits = SessionLimits()
    connexion: LoginLimits = LoginLimits()
    conservation: Retention = Retention()
    chargement: Intake = Intake()


# --------------------------------------------------------------------------- jury.toml


class ConflictHints(_Section):
    """Which resemblances between a juror and a candidature suggest a conflict."""

    meme_structure: bool = True
    meme_departement: bool = True
    meme_region: bool = False
    meme_reseau: bool = False


class ResultAlerts(_Section):
    desaccord_part_echelle: float = Field(default=0.3, gt=0, le=1)
    preselection: int = Field(default=3, ge=1)


class JurySettings(_Section):
    """``config/jury.toml``."""

    conflits: ConflictHints = ConflictHints()
    resultats: ResultAlerts = ResultAlerts()


# --------------------------------------------------------------- references_nationales


class NationalReference(_Section):
    code: str
    libelle: str
    valeur: float
    unite: Literal["h", "part"]
    annee: int
    portee: str
    source: str
    prefixe: str = ""


class NationalReferences(_Section):
    """``config/references_nationales.toml``: one ``[[reference]]`` per figure."""

    reference: list[NationalReference]


# --------------------------------------------------------------------------- loading

Model = TypeVar("Model", bound=_Section)

_CACHE: dict[tuple[str, str, int], Any] = {}

_MESSAGES = {
    "extra_forbidden": "clé inconnue",
    "missing": "clé obligatoire manquante",
    "int_type": "doit être un nombre entier",
    "float_type": "doit être un nombre",
    "string_type": "doit être un texte entre guillemets",
    "bool_type": "doit valoir true ou false",
    "list_type": "doit être une liste",
    "model_type": "doit être une section [ … ]",
}


def app_settings(path: Path | None = None) -> AppSettings:
    """``config/app.toml`` (``TROPHEES_CONFIG_DIR`` moves it); defaults when absent."""
    return load(AppSettings, path or paths.config_dir() / "app.toml", missing_ok=True)


def jury_settings(path: Path | None = None) -> JurySettings:
    """``config/jury.toml``; defaults when absent."""
    return load(JurySettings, path or paths.config_dir() / "jury.toml", missing_ok=True)


def national_references(path: Path | None = None) -> NationalReferences:
    """``config/references_nationales.toml`` (required)."""
    target = path or paths.config_dir() / "references_nationales.toml"
    return load(NationalReferences, target, missing_ok=False)


def load(model: type[Model], path: Path, *, missing_ok: bool) -> Model:
    """``path`` read into ``model``; re-read only when the file changes (pages ask for
    settings on every rerun). Raises :class:`ConfigError` in French."""
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        if missing_ok:
            return model()
        raise ConfigError(f"{path} : fichier de réglages introuvable.") from None
    key = (model.__name__, str(path), stamp)
    if key not in _CACHE:
        _CACHE[key] = _parse(model, path)
    cached: Model = _CACHE[key]
    return cached


def _parse(model: type[Model], path: Path) -> Model:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path} : syntaxe TOML invalide ({err}).") from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path} : le fichier n'est pas en UTF-8.") from err
    try:
        return model.model_validate(document)
    except ValidationError as err:
        problems = [_problem(model, e) for e in err.errors()]
        raise ConfigError(f"{path} : " + " ; ".join(problems) + ".") from err


def _problem(model: type[_Section], error: Any) -> str:
    location = [str(part) for part in error["loc"]]
    where = _where(location)
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _known_keys(model, location[:-1])
        close = difflib.get_close_matches(location[-1], known, n=1)
        hint = f" (vouliez-vous dire « {close[0]} » ?)" if close else ""
        return f"{where} : clé inconnue{hint}"
    ctx = error.get("ctx", {})
    if kind == "greater_than":
        return f"{where} : doit être supérieur à {ctx['gt']} (lu : {error['input']!r})"
    if kind == "greater_than_equal":
        return f"{where} : doit être au moins {ctx['ge']} (lu : {error['input']!r})"
    if kind == "less_than_equal":
        return f"{where} : doit être au plus {ctx['le']} (lu : {error['input']!r})"
    if kind == "literal_error":
        expected = str(ctx["expected"]).replace(" or ", " ou ")
        return f"{where} : doit valoir {expected} (lu : {error['input']!r})"
    message = _MESSAGES.get(kind, error["msg"])
    read = "" if kind == "missing" else f" (lu : {error['input']!r})"
    return f"{where} : {message}{read}"


def _where(location: list[str]) -> str:
    """« [section] clé », « [[reference]] n° 2 : clé »."""
    if not location:
        return "document"
    if len(location) >= 3 and location[1].isdigit():
        return f"[[{location[0]}]] n° {int(location[1]) + 1} : {'.'.join(location[2:])}"
    if len(location) == 1:
        return location[0]
    return f"[{location[0]}] {'.'.join(location[1:])}"


def _known_keys(model: type[_Section], section: list[str]) -> list[str]:
    current: type[BaseModel] = model
    for part in section:
        if part.isdigit():
            continue
        annotation: Any = current.model_fields[part].annotation
        args = getattr(annotation, "__args__", ())
        current = args[0] if args else annotation  # list[X] -> X
    return list(current.model_fields)
