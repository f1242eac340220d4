"""Reading each typed form field into evidence about the territory (pure, given the index).

A field never decides alone: it says which communes it points to and how strongly
(``CommuneEvidence.weights``), or which département, région or EPCI it names. The resolver
(``etl.territory``) adds the weights up and decides. Weights, strongest first:

- 2.0  exact commune name (accents, hyphens, « St », case and spacing aside);
- 1.5  INSEE code; a name reached through an article, a commune déléguée/associée, an
       arrondissement municipal, a shortening (« Cherbourg »), or one typo;
- 1.0  postcode; département, région or EPCI the commune lies in (added by the resolver);
- 0.5  a hint: the département a postcode belongs to, « 20 » for Corsica, a code typed in
       the wrong field.

So a right name beats a wrong postcode or INSEE code, two agreeing codes beat a lone name,
and homonyms stay tied until something else separates them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from etl.territory.index import ANCIEN_CODE, NameHit, NameKind, TerritoryIndex, epci_name_parts
from etl.territory.names import (
    clean_code,
    compact,
    five_char_code,
    normalise_place_name,
    without_article,
)

FieldName = Literal["code_insee", "commune", "code_postal", "departement", "epci"]

NAME_WEIGHTS: dict[NameKind, float] = {
    "commune": 2.0,
    "article": 1.5,
    "deleguee": 1.5,
    "arrondissement": 1.5,
    "debut": 1.5,
}
FUZZY_WEIGHT = 1.5
INSEE_WEIGHT = 1.5
POSTCODE_WEIGHT = 1.0
CROSS_FIELD_WEIGHT = 0.5  # a postcode typed as INSEE code, or the reverse
SHORTENED_WEIGHT = 1.5  # a name read as the first words of a longer one
# A shortened name competes with a commune bearing exactly that name only for a town at
# least this many times bigger, and this big (Charleville-Mézières vs Charleville, 51).
SHORTENED_POPULATION_RATIO = 5
SHORTENED_MIN_POPULATION = 5_000
# Above this many communes starting with the words typed, a shortening tells nothing.
PREFIX_MAX_COMMUNES = 12


@dataclass
class CommuneEvidence:
    """What one typed field says about which commune is meant."""

    source: FieldName
    typed: str
    weights: dict[str, float] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # how a commune was reached, if indirect
    problem: str | None = None  # why nothing could be read from the field (French)
    hint_departements: tuple[str, ...] = ()  # where an unknown or wrong code points
    name_key: str | None = None  # for names: the key, to count homonyms
    fuzzy: bool = False  # for names: reached only through a one-typo neighbour


@dataclass(frozen=True)
class AreaReading:
    """What the département field (or a département/région written elsewhere) designates."""

    typed: str
    departements: tuple[str, ...] = ()
    region_code: str | None = None
    weight: float = 1.0
    note: str | None = None  # a reading worth telling (région in the département field…)
    problem: str | None = None  # why it designates nothing usable (French)


@dataclass(frozen=True)
class EpciReading:
    """The EPCI(s) a typed name or SIREN designates."""

    typed: str
    sirens: tuple[str, ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class FreeText:
    """A free-text place split into its parts: « 75012 Paris », « Saint-Denis (974) »."""

    name: str | None = None
    code: str | None = None  # a five-character code: postcode or INSEE code
    departement: str | None = None  # a département code or name given beside the name
    siren: str | None = None


_SIREN = re.compile(r"(?<!\d)(\d{3})\s?(\d{3})\s?(\d{3})(?!\d)")
_CODE5 = re.compile(r"(?<![0-9A-Z])(\d{5}|\d{2}\s\d{3}|2[AB]\d{3})(?![0-9A-Z])", re.IGNORECASE)
_CEDEX = re.compile(r"\bcedex\b(\s*\d+)?", re.IGNORECASE)
_PARENS = re.compile(r"\(([^()]*)\)")
_DEP_AROUND = re.compile(
    r"^\s*(?P<lead>\d{1,3}|2[AB])\s*[-–—,/:]\s*(?P<rest1>.+)$"
    r"|^(?P<rest2>.+?)\s*[-–—,/:]\s*(?P<trail>\d{1,3}|2[AB])\s*$",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(r"^(?:VILLE|MAIRIE|COMMUNE)(?: (?:DE|D|DU|DES))? (?P<rest>.+)$")
_TRAILING_NUMBER = re.compile(r"^(?P<name>.*[A-Z])\s(?P<dep>\d{2,3}|2[AB])$")
_AREA_PREFIX = re.compile(
    r"^(CONSEIL DEPARTEMENTAL|CONSEIL GENERAL|CONSEIL REGIONAL"
    r"|DEPARTEMENT|DEPT|DPT|DEP|REGION|CD|CR)( (DE LA|DE L|DU|DES|DE|D))? "
)


def split_free_text(text: str) -> FreeText:
    """Separate the codes people write around a place name from the name itself.

    « 75012 Paris » → code 75012, name « Paris »; « Saint-Denis (974) » → département 974;
    « Mamoudzou, Mayotte » → département « Mayotte »; « Lyon Cedex 03 » → name « Lyon ».
    Parenthesised words that are not a code (« Havre (Le) ») stay in the name.
    """
    rest = _CEDEX.sub(" ", text)
    siren = None
    if found := _SIREN.search(rest):
        siren = "".join(found.groups())
        rest = rest[: found.start()] + " " + rest[found.end() :]
    code = None
    if found := _CODE5.search(rest):
        code = found.group(1).replace(" ", "").upper()
        rest = rest[: found.start()] + " " + rest[found.end() :]
    departement = None
    for found in _PARENS.finditer(rest):
        inner = found.group(1).strip()
        if inner and normalise_place_name(inner) not in {"LE", "LA", "LES", "L"}:
            departement = inner
            rest = rest[: found.start()] + " " + rest[found.end() :]
            break
    if departement is None and (around := _DEP_AROUND.match(rest.strip())):
        departement = around.group("lead") or around.group("trail")
        rest = around.group("rest1") or around.group("rest2") or ""
    if departement is None and "," in rest:
        head, _, tail = rest.rpartition(",")
        if normalise_place_name(tail) not in {"LE", "LA", "LES", "L", ""}:
            departement, rest = tail.strip(), head
    name = rest.strip(" \t-–—,/:;.")
    return FreeText(name or None, code, departement, siren)


def read_insee(index: TerritoryIndex, typed: str) -> CommuneEvidence:
    """Evidence from the INSEE code field: current, delegated/arrondissement/old, or a postcode."""
    evidence = CommuneEvidence("code_insee", typed)
    code = five_char_code(typed)
    if code is None:
        evidence.problem = f"le code INSEE « {typed} » n'a pas la forme d'un code de commune"
        return evidence
    candidates = [code]
    if code not in index.communes and code not in index.redirects and code.startswith("20"):
        candidates = ["2A" + code[2:], "2B" + code[2:]]  # Corsica's codes before 1976
    for candidate in candidates:
        if candidate in index.communes:
            evidence.weights[candidate] = INSEE_WEIGHT
            if candidate != code:
                evidence.notes[candidate] = (
                    f"le code INSEE {code} est un ancien code corse (avant 1976), "
                    f"lu comme {candidate}"
                )
        elif (redirect := index.redirects.get(candidate)) is not None:
            parent = index.communes[redirect.commune_code]
            evidence.weights.setdefault(parent.code, INSEE_WEIGHT)
            note = (
                f"le code INSEE {candidate} est celui de « {redirect.nom} » ({redirect.kind}), "
                f"rattaché à la commune actuelle {parent.nom} ({parent.code})"
            )
            if redirect.kind == ANCIEN_CODE:
                note = (
                    f"le code INSEE {candidate} est un ancien code, remplacé par "
                    f"{parent.code} ({parent.nom})"
                )
            evidence.notes.setdefault(parent.code, note)
    for commune_code in index.postcodes.get(code, ()):
        if commune_code not in evidence.weights:
            evidence.weights[commune_code] = CROSS_FIELD_WEIGHT
            evidence.notes[commune_code] = (
                f"« {typed} », saisi comme code INSEE, est le code postal de "
                f"{index.communes[commune_code].nom}"
            )
    if not evidence.weights:
        evidence.problem = f"le code INSEE {code} est inconnu"
        evidence.hint_departements = _departements_of_code(index, code)
    return evidence


def read_postcode(index: TerritoryIndex, typed: str) -> CommuneEvidence:
    """Evidence from the postcode field: the communes it serves, or where an unknown one points."""
    evidence = CommuneEvidence("code_postal", typed)
    code = five_char_code(typed)
    if code is None:
        evidence.problem = f"le code postal « {typed} » n'a pas la forme d'un code postal"
        return evidence
    served = index.postcodes.get(code, ())
    for commune_code in served:
        evidence.weights[commune_code] = POSTCODE_WEIGHT
    if served:
        deps = {index.communes[c].departement_code for c in served}
        evidence.hint_departements = tuple(sorted(deps))
        return evidence
    if code in index.communes:
        evidence.weights[code] = CROSS_FIELD_WEIGHT
        evidence.notes[code] = (
            f"« {typed} », saisi comme code postal, est le code INSEE de {index.communes[code].nom}"
        )
    evidence.hint_departements = _departements_of_code(index, code)
    if not evidence.weights:
        evidence.problem = f"le code postal {code} est inconnu (code Cedex ou erreur de saisie ?)"
    return evidence


def _departements_of_code(index: TerritoryIndex, code: str) -> tuple[str, ...]:
    """Départements whose postcodes start like ``code`` (« 75700 » → 75, « 20090 » → 2A, 2B)."""
    prefix = code[:3] if code.startswith("97") else code[:2]
    return index.postcode_prefix_deps.get(prefix, ())


def read_commune_name(index: TerritoryIndex, typed: str) -> tuple[CommuneEvidence, str | None]:
    """Evidence from a commune name, and a département code glued to its end (« Saint-Denis 93 »).

    Tries the exact key, the key without spaces, then without a trailing département code.
    Much bigger towns whose name starts with the one typed compete with the same weight:
    « Charleville » (a village of the Marne) is tied with Charleville-Mézières.
    """
    evidence = CommuneEvidence("commune", typed)
    key = normalise_place_name(typed)
    evidence.name_key = key
    if not key:
        evidence.problem = f"le nom « {typed} » est vide une fois nettoyé"
        return evidence, None
    hits = index.names.get(key) or index.compact_names.get(compact(key))
    glued_dep = None
    if not hits and (glued := _TRAILING_NUMBER.match(key)):
        dep = _departement_code(index, glued.group("dep"))
        shorter = glued.group("name")
        if dep is not None and (
            index.names.get(shorter) or index.compact_names.get(compact(shorter))
        ):
            key, glued_dep = shorter, dep
            evidence.name_key = key
            hits = index.names.get(key) or index.compact_names.get(compact(key))
    if hits:
        _add_name_hits(index, evidence, hits, typed)
        _add_bigger_towns_starting_so(index, evidence, key, typed)
    return evidence, glued_dep


def read_commune_name_loosely(index: TerritoryIndex, typed: str) -> CommuneEvidence:
    """Evidence from a name no commune bears: « Ville de Grenoble », a shortened name, a typo.

    In order: without « Ville de », « Mairie de », « Commune de »; as the first words of
    at most ``PREFIX_MAX_COMMUNES`` longer names (« Cherbourg »); one typo away.
    """
    evidence = CommuneEvidence("commune", typed)
    key = normalise_place_name(typed)
    evidence.name_key = key
    institution = _INSTITUTION.match(key)
    if institution and (hits := index.names.get(institution.group("rest"))):
        evidence.name_key = institution.group("rest")
        _add_name_hits(index, evidence, hits, typed)
        return evidence
    starting = index.prefixes.get(key, ())
    if 0 < len({h.commune_code for h in starting}) <= PREFIX_MAX_COMMUNES:
        for hit in starting:
            if hit.commune_code not in evidence.weights:
                evidence.weights[hit.commune_code] = SHORTENED_WEIGHT
                evidence.notes[hit.commune_code] = (
                    f"« {typed} » lu comme « {hit.nom} » (nom abrégé)"
                )
        return evidence
    for near in index.fuzzy_keys(compact(key)):
        for hit in index.compact_names[near]:
            commune = index.communes[hit.commune_code]
            if evidence.weights.get(commune.code, 0.0) < FUZZY_WEIGHT:
                evidence.weights[commune.code] = FUZZY_WEIGHT
                evidence.notes[commune.code] = (
                    f"« {typed} » lu comme « {hit.nom} » (faute de frappe probable)"
                )
                evidence.fuzzy = True
    if not evidence.weights:
        evidence.problem = f"aucune commune ne s'appelle « {typed} »"
    return evidence


def _add_bigger_towns_starting_so(
    index: TerritoryIndex, evidence: CommuneEvidence, key: str, typed: str
) -> None:
    """Let a town far bigger than every commune of this exact name compete with them."""
    biggest = max(index.communes[c].population for c in evidence.weights)
    threshold = max(SHORTENED_MIN_POPULATION, SHORTENED_POPULATION_RATIO * biggest)
    weight = max(evidence.weights.values())
    for hit in index.prefixes.get(key, ()):  # most populous first
        commune = index.communes[hit.commune_code]
        if commune.population < threshold:
            break
        if commune.code not in evidence.weights:
            evidence.weights[commune.code] = weight
            evidence.notes[commune.code] = f"« {typed} » lu comme « {hit.nom} » (nom abrégé)"


def _add_name_hits(
    index: TerritoryIndex, evidence: CommuneEvidence, hits: tuple[NameHit, ...], typed: str
) -> None:
    """Give each commune a name designates its weight (the strongest way it is reached)."""
    for hit in hits:
        weight = NAME_WEIGHTS[hit.kind]
        if weight <= evidence.weights.get(hit.commune_code, 0.0):
            continue
        evidence.weights[hit.commune_code] = weight
        evidence.notes.pop(hit.commune_code, None)
        parent = index.communes[hit.commune_code]
        if hit.kind == "deleguee":
            evidence.notes[hit.commune_code] = (
                f"« {typed} » est une ancienne commune (déléguée ou associée), "
                f"rattachée à {parent.nom} ({parent.code})"
            )
        elif hit.kind == "arrondissement":
            evidence.notes[hit.commune_code] = (
                f"« {typed} » est un arrondissement municipal de {parent.nom} ({parent.code})"
            )


def _departement_code(index: TerritoryIndex, typed: str) -> str | None:
    """A département code as typed (« 1 », « 01 », « 2a », « 974 ») made official, if it exists."""
    code = clean_code(typed)
    if code.isdigit() and len(code) <= 3:
        code = f"{int(code):02d}"
    elif re.fullmatch(r"0?2[AB]", code):
        code = code[-2:]
    return code if code in index.departements else None


def read_departement(index: TerritoryIndex, typed: str) -> AreaReading:
    """What the département field designates: a code, a name, a région, or nothing usable."""
    if (code := _departement_code(index, typed)) is not None:
        return AreaReading(typed, (code,), index.departements[code].region_code)
    cleaned = clean_code(typed)
    if cleaned in {"20", "020"}:
        corsica = tuple(c for c in ("2A", "2B") if c in index.departements)
        return AreaReading(
            typed,
            corsica,
            index.departements[corsica[0]].region_code if corsica else None,
            weight=0.5,
            problem=(
                "« 20 » n'est plus un code de département depuis 1976 : la Corse est divisée "
                "en Corse-du-Sud (2A) et Haute-Corse (2B)"
            ),
        )
    if (around := _DEP_AROUND.match(typed.strip())) is not None:
        lead = around.group("lead") or around.group("trail")
        if (code := _departement_code(index, lead)) is not None:
            return AreaReading(typed, (code,), index.departements[code].region_code)
    if (parts := split_free_text(typed)).departement and parts.name:
        code = _departement_code(index, parts.departement)
        if code is not None:
            return AreaReading(typed, (code,), index.departements[code].region_code)
    named = read_area_name(index, typed)
    if named is None:
        return AreaReading(typed, problem=f"« {typed} » n'est ni un code ni un nom de département")
    if not named.departements and named.note is None:
        region = index.regions[named.region_code or ""]
        return AreaReading(
            typed,
            region_code=region.code,
            note=f"« {typed} » est une région ({region.nom}), pas un département",
        )
    return named


def read_area_name(index: TerritoryIndex, typed: str) -> AreaReading | None:
    """A département or région designated by its name (« La Réunion », « Haute-Corse », « PACA »).

    Also accepts « Département de … », « Région … », « Conseil départemental de … ».
    """
    key = normalise_place_name(typed)
    stripped = _AREA_PREFIX.sub("", key + " ").strip() or key
    for variant in dict.fromkeys((key, stripped, without_article(stripped))):
        code = index.departement_keys.get(variant) or index.departement_keys.get(compact(variant))
        if code is not None:
            return AreaReading(typed, (code,), index.departements[code].region_code)
    for variant in dict.fromkeys((key, stripped, without_article(stripped))):
        code = index.region_keys.get(variant) or index.region_keys.get(compact(variant))
        if code is None:
            continue
        region = index.regions[code]
        official = normalise_place_name(region.nom)
        note = None
        if compact(variant) not in {compact(official), compact(without_article(official))}:
            note = f"« {typed} » lu comme la région {region.nom}"
        deps = tuple(sorted(d.code for d in index.departements.values() if d.region_code == code))
        if len(deps) == 1:
            return AreaReading(typed, deps, code, note=note)
        return AreaReading(typed, (), code, note=note)
    return None


def read_epci(index: TerritoryIndex, typed: str) -> EpciReading:
    """The EPCI(s) a SIREN or a name designates; a legal form typed (CA, CC…) separates homonyms."""
    digits = re.sub(r"\D", "", typed)
    if len(digits) == 9 and re.fullmatch(r"[\d\s.\u00a0]+", typed):
        if digits in index.epcis:
            return EpciReading(typed, (digits,))
        return EpciReading(typed, problem=f"aucun EPCI n'a le SIREN {digits}")
    full, core, form = epci_name_parts(typed)
    sirens = index.epci_keys.get(full) or index.epci_keys.get(compact(full))
    if not sirens:
        sirens = index.epci_core_keys.get(core, ())
        if form and len(sirens) > 1:
            same_form = tuple(s for s in sirens if index.epcis[s].type.startswith(form))
            sirens = same_form or sirens
    if not sirens:
        return EpciReading(typed, problem=f"aucun EPCI ne s'appelle « {typed} »")
    return EpciReading(typed, tuple(sirens))


def looks_like_epci(typed: str) -> bool:
    """Whether a free text names a legal form of EPCI (« CA du Grand Dax », « … Métropole »)."""
    return epci_name_parts(typed)[2] is not None


def is_area_phrase(typed: str) -> bool:
    """Whether a free text starts like « Département de … », « Région … », « Conseil … »."""
    return _AREA_PREFIX.match(normalise_place_name(typed) + " ") is not None
