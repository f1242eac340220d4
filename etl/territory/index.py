"""Dictionary indexes over the reference geography, built once for territory resolution.

The reference arrives as polars frames (``etl.reference.Reference``); resolving thousands
of hand-typed places needs plain dict lookups, so this module turns the frames into
immutable Python structures keyed by the matching keys of ``etl.territory.names``.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple

import polars as pl

from etl.territory.names import (
    compact,
    normalise_place_name,
    osa_distance_at_most_one,
    single_deletions,
    without_article,
)

NameKind = Literal["commune", "article", "deleguee", "arrondissement", "debut"]
EpciType = str

# How forms spell an EPCI's legal form; stripped to get the name people actually use
# (« Communauté d'agglomération du Grand Dax » → ``GRAND DAX``). Longest first.
_EPCI_LEADING_FORMS: tuple[tuple[str, str], ...] = (
    ("COMMUNAUTE D AGGLOMERATION", "CA"),
    ("COMMUNAUTE AGGLOMERATION", "CA"),
    ("COMMUNAUTE D AGGLO", "CA"),
    ("COMMUNAUTE DE COMMUNES", "CC"),
    ("COMMUNAUTE DE COMMUNE", "CC"),
    ("COMMUNAUTE DES COMMUNES", "CC"),
    ("COMMUNAUTE URBAINE", "CU"),
    ("COM COM", "CC"),
    ("COMCOM", "CC"),
    ("CDC", "CC"),
    ("CA", "CA"),
    ("CC", "CC"),
    ("CU", "CU"),
    ("AGGLOMERATION", "CA"),
    ("AGGLO", "CA"),
    ("EUROMETROPOLE", "METRO"),
    ("METROPOLE", "METRO"),
)
_EPCI_TRAILING_FORMS: tuple[tuple[str, str], ...] = (
    ("METROPOLE", "METRO"),
    ("AGGLOMERATION", "CA"),
    ("AGGLO", "CA"),
    ("COMMUNAUTE", ""),
)
_LEADING_PREPOSITIONS = ("DE LA ", "DE L ", "DU ", "DES ", "DE ", "D ", "L ", "LA ", "LE ", "LES ")

# Pre-2016 région names and usual acronyms, mapped to the current région's official name;
# matched by key against the reference, so a renamed région simply drops out.
REGION_ALIASES: dict[str, str] = {
    "PACA": "Provence-Alpes-Côte d'Azur",
    "IDF": "Île-de-France",
    "AURA": "Auvergne-Rhône-Alpes",
    "ARA": "Auvergne-Rhône-Alpes",
    "BFC": "Bourgogne-Franche-Comté",
    "HDF": "Hauts-de-France",
    "CVL": "Centre-Val de Loire",
    "Centre": "Centre-Val de Loire",
    "Alsace": "Grand Est",
    "Lorraine": "Grand Est",
    "Champagne-Ardenne": "Grand Est",
    "Auvergne": "Auvergne-Rhône-Alpes",
    "Rhône-Alpes": "Auvergne-Rhône-Alpes",
    "Bourgogne": "Bourgogne-Franche-Comté",
    "Franche-Comté": "Bourgogne-Franche-Comté",
    "Aquitaine": "Nouvelle-Aquitaine",
    "Limousin": "Nouvelle-Aquitaine",
    "Poitou-Charentes": "Nouvelle-Aquitaine",
    "Midi-Pyrénées": "Occitanie",
    "Languedoc-Roussillon": "Occitanie",
    "Nord-Pas-de-Calais": "Hauts-de-France",
    "Picardie": "Hauts-de-France",
    "Basse-Normandie": "Normandie",
    "Haute-Normandie": "Normandie",
}

ANCIEN_CODE = "ancien code"  # Redirect.kind of a code a commune held before a merger or 1976

# The reference's ``communes_deleguees.type`` values, in words for messages.
_DELEGATED_KINDS = {
    "arrondissement-municipal": "arrondissement municipal",
    "commune-deleguee": "commune déléguée",
    "commune-associee": "commune associée",
}

# A shortened name (« Cherbourg » for Cherbourg-en-Cotentin) is read through the first
# words of longer names, when they make at least this many characters.
PREFIX_MIN_LENGTH = 4

# Below this length a one-typo neighbour is too often another real name (Laval/Lavau).
FUZZY_MIN_LENGTH = 5


@dataclass(frozen=True, slots=True)
class CommuneInfo:
    """One current commune, as the resolver needs it."""

    code: str
    nom: str
    departement_code: str
    region_code: str
    epci_siren: str | None
    codes_postaux: tuple[str, ...]
    population: int


class NameHit(NamedTuple):
    """A commune reachable from a name key, and through which kind of name.

    A named tuple rather than a dataclass: ~110,000 are hashed while building the index.
    """

    commune_code: str
    kind: NameKind
    nom: str  # the name as written in the reference (a delegated commune's own name, say)


@dataclass(frozen=True, slots=True)
class Redirect:
    """A code that is no longer a current commune: arrondissement, delegated or old code."""

    commune_code: str
    nom: str
    kind: str  # French words: « arrondissement municipal », « commune déléguée », « ancien code »


@dataclass(frozen=True, slots=True)
class EpciInfo:
    """One EPCI with the départements and régions its member communes lie in."""

    siren: str
    nom: str
    type: EpciType
    departements: tuple[str, ...]
    regions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AreaInfo:
    """A département or a région: code, official name and (for départements) région."""

    code: str
    nom: str
    region_code: str | None


@dataclass(frozen=True)
class TerritoryIndex:
    """Every lookup the resolver performs, as dicts keyed by normalised keys or codes."""

    communes: dict[str, CommuneInfo]
    redirects: dict[str, Redirect]
    names: dict[str, tuple[NameHit, ...]]
    compact_names: dict[str, tuple[NameHit, ...]]
    prefixes: dict[str, tuple[NameHit, ...]]  # first words of longer names → those communes
    postcodes: dict[str, tuple[str, ...]]
    postcode_prefix_deps: dict[str, tuple[str, ...]]
    departements: dict[str, AreaInfo]
    departement_keys: dict[str, str]
    regions: dict[str, AreaInfo]
    region_keys: dict[str, str]
    epcis: dict[str, EpciInfo]
    epci_keys: dict[str, tuple[str, ...]]
    epci_core_keys: dict[str, tuple[str, ...]]
    communes_by_name_count: dict[tuple[str, str], int]
    communes_per_departement: dict[str, int]

    @functools.cached_property
    def deletions(self) -> dict[str, str | tuple[str, ...]]:
        """The typo index, built on the first fuzzy lookup (≈ 0.3 s): a load whose names
        all match exactly never pays for it."""
        return _deletion_index(self.compact_names)

    def fuzzy_keys(self, query: str) -> list[str]:
        """Compact name keys one typo away from ``query`` (SymSpell: compare deletions).

        One deletion of the query that is a key: a letter was added; the query among a
        key's deletions: a letter was dropped; a shared deletion: a letter was replaced
        or two were swapped (checked exactly, as a shared deletion allows more).
        """
        if len(query) < FUZZY_MIN_LENGTH:
            return []
        found: set[str] = set()
        for probe in (*single_deletions(query), query):
            if probe != query and probe in self.compact_names:
                found.add(probe)
            keys = self.deletions.get(probe, ())
            found.update((keys,) if isinstance(keys, str) else keys)
        return sorted(k for k in found if k != query and osa_distance_at_most_one(query, k))


def _deletion_index(keys: Iterable[str]) -> dict[str, str | tuple[str, ...]]:
    """Each one-character deletion of each key → the key(s) it comes from.

    A single key is stored as a bare string: nine deletions in ten have one origin, and
    avoiding a container per entry halves the build time (≈ 0.2 s for France).
    """
    index: dict[str, str | tuple[str, ...]] = {}
    for key in keys:
        if len(key) < FUZZY_MIN_LENGTH - 1:
            continue
        for deletion in single_deletions(key):
            origin = index.get(deletion)
            if origin is None:
                index[deletion] = key
            elif isinstance(origin, str):
                index[deletion] = (origin, key)
            else:
                index[deletion] = (*origin, key)
    return index


def epci_name_parts(text: str) -> tuple[str, str, str | None]:
    """(full key, core key, declared legal form) of an EPCI name as typed.

    « CA du Grand Dax » → (``CA DU GRAND DAX``, ``GRAND DAX``, ``CA``);
    « Saint-Étienne Métropole » → (…, ``SAINT ETIENNE``, ``METRO``).
    """
    key = normalise_place_name(text)
    core, form = key, None
    for words, kind in _EPCI_LEADING_FORMS:
        if core == words or core.startswith(words + " "):
            core, form = core[len(words) :].strip(), kind
            break
    for words, kind in _EPCI_TRAILING_FORMS:
        if core.endswith(" " + words):
            core = core[: -len(words)].strip()
            form = form or kind or None
            break
    for prep in _LEADING_PREPOSITIONS:
        if core.startswith(prep):
            core = core[len(prep) :]
            break
    return key, core or key, form


def _rows(frame: pl.DataFrame, columns: list[str]) -> Iterator[tuple[object, ...]]:
    """Rows of ``frame`` restricted to ``columns`` (missing optional columns read as None)."""
    present = [c for c in columns if c in frame.columns]
    series = [frame[c].to_list() if c in present else [None] * frame.height for c in columns]
    return zip(*series, strict=True)


def _freeze(groups: dict[str, list[NameHit]]) -> dict[str, tuple[NameHit, ...]]:
    """Lists of hits → tuples without repeats, in insertion order."""
    return {key: tuple(dict.fromkeys(hits)) for key, hits in groups.items()}


def _frozen_prefixes(
    groups: dict[str, list[NameHit]], communes: dict[str, CommuneInfo]
) -> dict[str, tuple[NameHit, ...]]:
    """Name starts → the communes whose name starts so, most populous first."""
    return {
        head: tuple(sorted(hits, key=lambda h: -communes[h.commune_code].population))
        for head, hits in _freeze(groups).items()
    }


def _postcode_prefix(code: str) -> str:
    """The part of a postcode that usually tells the département: 2 digits, 3 overseas."""
    return code[:3] if code.startswith("97") else code[:2]


def build_index(
    communes: pl.DataFrame,
    communes_deleguees: pl.DataFrame,
    epci: pl.DataFrame,
    departements: pl.DataFrame,
    regions: pl.DataFrame,
) -> TerritoryIndex:
    """Turn the reference frames into the resolver's lookup dicts (run once per process).

    Columns read: communes ``code, nom, departement_code, region_code, epci_siren,
    codes_postaux, population`` (and ``anciens_codes`` when present); communes_deleguees
    ``code, nom, type, commune_code, codes_postaux``; epci ``siren, nom, type``;
    departements ``code, nom, region_code``; regions ``code, nom``.
    """
    commune_map: dict[str, CommuneInfo] = {}
    names: dict[str, list[NameHit]] = defaultdict(list)
    compact_names: dict[str, list[NameHit]] = defaultdict(list)
    postcodes: dict[str, list[str]] = defaultdict(list)
    prefix_counts: dict[str, Counter[str]] = defaultdict(Counter)
    redirects: dict[str, Redirect] = {}
    epci_deps: dict[str, set[str]] = defaultdict(set)
    epci_regions: dict[str, set[str]] = defaultdict(set)

    prefixes: dict[str, list[NameHit]] = defaultdict(list)

    def add_name(nom: str, hit_code: str, kind: NameKind) -> None:
        key = normalise_place_name(nom)
        names[key].append(NameHit(hit_code, kind, nom))
        compact_names[compact(key)].append(NameHit(hit_code, kind, nom))
        bare = without_article(key)
        if bare != key and kind == "commune":
            names[bare].append(NameHit(hit_code, "article", nom))
        tokens = key.split()
        for end in range(1, len(tokens)):
            head = " ".join(tokens[:end])
            if len(head) >= PREFIX_MIN_LENGTH:
                prefixes[head].append(NameHit(hit_code, "debut", nom))

    columns = ["code", "nom", "departement_code", "region_code", "epci_siren"]
    columns += ["codes_postaux", "population", "anciens_codes"]
    for code, nom, dep, reg, siren, cps, pop, anciens in _rows(communes, columns):
        info = CommuneInfo(
            code=str(code),
            nom=str(nom),
            departement_code=str(dep),
            region_code=str(reg),
            epci_siren=str(siren) if siren else None,
            codes_postaux=tuple(str(c) for c in (cps or ())),  # type: ignore[attr-defined]
            population=int(pop or 0),  # type: ignore[call-overload]
        )
        commune_map[info.code] = info
        add_name(info.nom, info.code, "commune")
        for cp in info.codes_postaux:
            postcodes[cp].append(info.code)
            prefix_counts[_postcode_prefix(cp)][info.departement_code] += 1
        if info.epci_siren:
            epci_deps[info.epci_siren].add(info.departement_code)
            epci_regions[info.epci_siren].add(info.region_code)
        for old in anciens or ():  # type: ignore[attr-defined]
            redirects.setdefault(str(old), Redirect(info.code, info.nom, ANCIEN_CODE))

    columns = ["code", "nom", "type", "commune_code", "codes_postaux"]
    for code, nom, kind, parent, cps in _rows(communes_deleguees, columns):
        parent_code = str(parent)
        if parent_code not in commune_map:
            continue
        words = _DELEGATED_KINDS.get(str(kind), str(kind or "commune déléguée").replace("-", " "))
        hit_kind: NameKind = "arrondissement" if "arrondissement" in words else "deleguee"
        if str(code) not in commune_map:
            redirects[str(code)] = Redirect(parent_code, str(nom), words)
        add_name(str(nom), parent_code, hit_kind)
        for cp in cps or ():  # type: ignore[attr-defined]
            if parent_code not in postcodes[str(cp)]:
                postcodes[str(cp)].append(parent_code)

    dep_map = {
        str(code): AreaInfo(str(code), str(nom), str(reg))
        for code, nom, reg in _rows(departements, ["code", "nom", "region_code"])
    }
    region_map = {
        str(code): AreaInfo(str(code), str(nom), None)
        for code, nom in _rows(regions, ["code", "nom"])
    }
    epci_map: dict[str, EpciInfo] = {}
    epci_keys: dict[str, list[str]] = defaultdict(list)
    epci_cores: dict[str, list[str]] = defaultdict(list)
    for siren, nom, kind in _rows(epci, ["siren", "nom", "type"]):
        s = str(siren)
        epci_map[s] = EpciInfo(
            s,
            str(nom),
            str(kind or ""),
            tuple(sorted(epci_deps.get(s, ()))),
            tuple(sorted(epci_regions.get(s, ()))),
        )
        full, core, _ = epci_name_parts(str(nom))
        epci_keys[full].append(s)
        epci_keys[compact(full)].append(s)
        epci_cores[core].append(s)

    name_counts: Counter[tuple[str, str]] = Counter()
    frozen_names = _freeze(names)
    frozen_compact = _freeze(compact_names)
    for key, hits in frozen_names.items():
        for code in {h.commune_code for h in hits if h.kind == "commune"}:
            name_counts[(key, commune_map[code].departement_code)] += 1
            name_counts[(key, "")] += 1

    return TerritoryIndex(
        communes=commune_map,
        redirects=redirects,
        names=frozen_names,
        compact_names=frozen_compact,
        prefixes=_frozen_prefixes(prefixes, commune_map),
        postcodes={k: tuple(v) for k, v in postcodes.items()},
        postcode_prefix_deps={
            prefix: tuple(sorted(d for d, n in counts.items() if n >= 0.1 * counts.total()))
            for prefix, counts in prefix_counts.items()
        },
        departements=dep_map,
        departement_keys=_area_keys(dep_map.values(), {}),
        regions=region_map,
        region_keys=_area_keys(region_map.values(), REGION_ALIASES),
        epcis=epci_map,
        epci_keys={k: tuple(dict.fromkeys(v)) for k, v in epci_keys.items()},
        epci_core_keys={k: tuple(dict.fromkeys(v)) for k, v in epci_cores.items()},
        communes_by_name_count=dict(name_counts),
        communes_per_departement=dict(Counter(c.departement_code for c in commune_map.values())),
    )


def _area_keys(areas: Iterable[AreaInfo], aliases: dict[str, str]) -> dict[str, str]:
    """Name keys (with and without article, spaced and compact) → area code."""
    keys: dict[str, str] = {}
    by_key = {}
    for area in areas:
        key = normalise_place_name(area.nom)
        by_key[key] = area.code
        for variant in (key, without_article(key), compact(key), compact(without_article(key))):
            keys.setdefault(variant, area.code)
    for alias, official in aliases.items():
        code = by_key.get(normalise_place_name(official))
        if code is not None:
            keys.setdefault(normalise_place_name(alias), code)
    return keys
