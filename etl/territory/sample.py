"""A realistic, deterministic mix of typed territories, drawn from the reference (for benchmarks).

The mix imitates form answers: mostly commune name + postcode, then name + département,
bare names, INSEE codes (some of arrondissements or delegated communes), bare postcodes
(some Cedex), EPCI names or SIRENs, départements alone, free texts, and a share of wrong
or unknown entries. Communes are drawn with a weight growing with population, since
candidatures come more often from towns than from hamlets.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from etl.french import fold_accents

if TYPE_CHECKING:
    from etl.reference import Reference

Typed = dict[str, str | None]
_FIELDS = ("code_insee", "commune", "code_postal", "departement", "epci", "texte")


def _without_accents(text: str) -> str:
    return fold_accents(text)


def _name_variant(name: str, rng: random.Random) -> str:
    """The name as someone might type it: as is, capitals, no accents, « St », spaces…"""
    variants: list[Callable[[str], str]] = [
        lambda s: s,
        lambda s: s,
        str.upper,
        _without_accents,
        lambda s: _without_accents(s).lower(),
        lambda s: s.replace("Saint-", "St-").replace("Sainte-", "Ste-"),
        lambda s: s.replace("-", " "),
        lambda s: f"  {s} ",
        lambda s: s.replace("'", "’"),
    ]
    return rng.choice(variants)(name)


def _typo(name: str, rng: random.Random) -> str:
    """One character dropped or doubled: the commonest slip of the keyboard."""
    if len(name) < 6:
        return name + "x"
    at = rng.randrange(1, len(name) - 1)
    return name[:at] + name[at + 1 :] if rng.random() < 0.5 else name[:at] + name[at] + name[at:]


def _epci_variant(name: str, rng: random.Random) -> str:
    """An EPCI name with its legal form spelt out, abbreviated, or dropped."""
    spelt = name.replace("CA ", "Communauté d'agglomération ", 1).replace(
        "CC ", "Communauté de communes ", 1
    )
    return rng.choice([name, name, spelt, name.upper(), _without_accents(name)])


def resolution_sample(ref: Reference, n: int, seed: int) -> list[Typed]:
    """``n`` typed territories (keyword arguments of ``TerritoryResolver.resolve``), reproducible.

    Mix (approximate shares): name + postcode 30 % (one in ten with a wrong postcode),
    name + département 15 %, name alone 10 %, INSEE code 10 %, postcode alone 8 %, EPCI 8 %,
    département alone 7 %, free text 6 %, typos and unknown places 6 %.
    """
    rng = random.Random(seed)
    communes = ref.communes.sort("code")
    codes = communes["code"].to_list()
    names = communes["nom"].to_list()
    deps = communes["departement_code"].to_list()
    postcodes = [list(p or []) for p in communes["codes_postaux"].to_list()]
    weights = [max(int(p or 0), 1) ** 0.5 for p in communes["population"].to_list()]
    delegated = ref.communes_deleguees.sort("code")["code"].to_list()
    epci = ref.epci.sort("siren")
    epci_sirens, epci_names = epci["siren"].to_list(), epci["nom"].to_list()
    departements = ref.departements.sort("code")
    dep_codes, dep_names = departements["code"].to_list(), departements["nom"].to_list()
    picks = rng.choices(range(len(codes)), weights=weights, k=n)

    def postcode_of(i: int) -> str | None:
        return rng.choice(postcodes[i]) if postcodes[i] else None

    sample: list[Typed] = []
    for i in picks:
        typed: Typed = dict.fromkeys(_FIELDS)
        roll = rng.random()
        name = _name_variant(names[i], rng)
        if roll < 0.30:
            typed["commune"] = name
            typed["code_postal"] = postcode_of(i)
            if rng.random() < 0.1:
                typed["code_postal"] = postcode_of(rng.randrange(len(codes)))
        elif roll < 0.45:
            typed["commune"] = name
            dep = deps[i]
            typed["departement"] = rng.choice(
                [
                    dep,
                    dep.lstrip("0") or dep,
                    dep_names[dep_codes.index(dep)] if dep in dep_codes else dep,
                ]
            )
        elif roll < 0.55:
            typed["commune"] = name
        elif roll < 0.65:
            typed["code_insee"] = (
                rng.choice(delegated) if rng.random() < 0.1 and delegated else codes[i]
            )
        elif roll < 0.73:
            code = postcode_of(i) or codes[i]
            typed["code_postal"] = code + " CEDEX" if rng.random() < 0.1 else code
        elif roll < 0.81:
            j = rng.randrange(len(epci_sirens))
            typed["epci"] = (
                epci_sirens[j] if rng.random() < 0.3 else _epci_variant(epci_names[j], rng)
            )
        elif roll < 0.88:
            j = rng.randrange(len(dep_codes))
            typed["departement"] = rng.choice(
                [dep_codes[j], dep_names[j], dep_codes[j].lstrip("0")]
            )
        elif roll < 0.94:
            typed["texte"] = rng.choice(
                [f"{names[i]} ({deps[i]})", f"{postcode_of(i) or ''} {names[i]}"]
            )
        elif roll < 0.97:
            typed["commune"] = _typo(names[i], rng)
            typed["departement"] = deps[i] if rng.random() < 0.5 else None
        else:
            typed["commune"] = rng.choice(
                ["Ville inconnue", "Siège social", "Quartier Nord", "Zone d'activité des Pins"]
            )
            typed["code_postal"] = rng.choice([None, "99999", postcode_of(i)])
        sample.append(typed)
    return sample
