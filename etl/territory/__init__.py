"""Resolve a candidature's territory from what French forms contain (pure, given the reference).

Inputs are strings as typed: INSEE code, commune name, postcode, département (code or name),
EPCI (name or SIREN) and a free text such as « Saint-Denis (974) » or « CA du Grand Dax ».
Each field is read into weighted evidence (``etl.territory.reading``); the commune with the
highest total wins when it leads by a clear margin, otherwise the answer is *ambigu* with
its candidates. Without any commune evidence, the most precise area named wins (EPCI, then
département, then région). Nothing is guessed silently: every reading that is not a clean,
consistent match yields an *avertissement* saying what was trusted and what was set aside.

Public API: ``Resolution``, ``Candidate``, ``TerritoryResolver``, ``normalise_place_name``,
``resolution_sample``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import polars as pl

from etl.french import plural
from etl.territory.decision import Decider
from etl.territory.index import TerritoryIndex, build_index
from etl.territory.names import blank_to_none, normalise_place_name
from etl.territory.sample import resolution_sample

if TYPE_CHECKING:
    from etl.reference import Reference

__all__ = [
    "INPUT_COLUMNS",
    "OUTPUT_COLUMNS",
    "Candidate",
    "Niveau",
    "Resolution",
    "Statut",
    "TerritoryResolver",
    "normalise_place_name",
    "resolution_sample",
]

Statut = Literal["exact", "avertissement", "ambigu", "inconnu"]
Niveau = Literal["commune", "epci", "departement", "region"]

INPUT_COLUMNS = ("code_insee", "commune", "code_postal", "departement", "epci", "texte")
OUTPUT_COLUMNS = (
    "territoire_statut",
    "territoire_niveau",
    "commune_code",
    "epci_siren",
    "departement_code",
    "region_code",
    "territoire_message",
)

_STATUT_FR: dict[str, str] = {
    "exact": "Résolu",
    "avertissement": "Résolu avec avertissement",
    "ambigu": "Ambigu",
    "inconnu": "Inconnu",
}
_NIVEAU_FR: dict[str, str] = {
    "commune": "commune",
    "epci": "EPCI",
    "departement": "département",
    "region": "région",
}
_CANDIDATES_SHOWN = 8


@dataclass(frozen=True)
class Candidate:
    """One possible reading of an ambiguous territory (a commune or an EPCI)."""

    niveau: Niveau
    code: str
    nom: str
    departement_code: str | None
    region_code: str | None

    def label_fr(self) -> str:
        """« Saint-Denis (97411, dép. 974) », « département Vienne (86) »: tells homonyms apart."""
        if self.niveau != "commune":
            return f"{_NIVEAU_FR[self.niveau]} {self.nom} ({self.code})"
        where = f", dép. {self.departement_code}" if self.departement_code else ""
        return f"{self.nom} ({self.code}{where})"


@dataclass(frozen=True)
class Resolution:
    """The territory a candidature's fields designate, and how sure we are.

    ``statut``: *exact* (every field given agrees), *avertissement* (resolved, but some field
    was corrected, redirected or set aside: ``message`` says which and why), *ambigu*
    (several candidates tie: ``candidats``), *inconnu* (nothing usable: ``message`` says why).
    ``niveau`` is the most precise level resolved. Codes of the enclosing levels are filled
    when they are unique: a commune's EPCI, département and région; an EPCI's département
    only when all its communes lie in one (an EPCI spanning several départements is *exact*
    with an informative ``message``); for *ambigu*, the département and région the
    candidates all share, if any. ``message`` is French and empty for a plain exact match.
    """

    statut: Statut
    niveau: Niveau | None
    commune_code: str | None
    commune_nom: str | None
    epci_siren: str | None
    departement_code: str | None
    region_code: str | None
    message: str
    candidats: tuple[Candidate, ...] = ()
    epci_nom: str | None = None
    departement_nom: str | None = None
    region_nom: str | None = None

    def describe_fr(self) -> str:
        """One or two French lines for people (the ``trophees territoire`` command)."""
        parts = []
        if self.commune_code:
            parts.append(f"commune {self.commune_nom} ({self.commune_code})")
        if self.epci_siren:
            parts.append(f"EPCI {self.epci_nom} ({self.epci_siren})")
        if self.departement_code:
            parts.append(f"département {self.departement_nom} ({self.departement_code})")
        if self.region_code:
            parts.append(f"région {self.region_nom} ({self.region_code})")
        head = _STATUT_FR[self.statut]
        first = f"{head} : {', '.join(parts)}" if parts else head
        if self.niveau and parts:
            first += f" [niveau {_NIVEAU_FR[self.niveau]}]"
        second = self.explanation_fr()
        return f"{first}\n{second}" if second else first

    def explanation_fr(self) -> str:
        """What was trusted and why, with the candidates of an ambiguity (stored in
        ``territoire_message`` and quoted by the load's warnings)."""
        if not self.candidats:
            return self.message
        shown = " ; ".join(c.label_fr() for c in self.candidats[:_CANDIDATES_SHOWN])
        more = len(self.candidats) - _CANDIDATES_SHOWN
        shown += f" ; et {plural(more, 'autre')}" if more > 0 else ""
        return f"{self.message} Candidats : {shown}.".strip()


class TerritoryResolver:
    """Resolves typed territories against one reference; build once, resolve many times."""

    def __init__(self, index: TerritoryIndex) -> None:
        self._index = index
        self._decider = Decider(index)

    @classmethod
    def from_reference(cls, ref: Reference) -> TerritoryResolver:
        """Build the lookup dicts from the reference tables (≈ 1 s for all of France)."""
        return cls.from_frames(
            communes=ref.communes,
            communes_deleguees=ref.communes_deleguees,
            epci=ref.epci,
            departements=ref.departements,
            regions=ref.regions,
        )

    @classmethod
    def from_frames(
        cls,
        *,
        communes: pl.DataFrame,
        communes_deleguees: pl.DataFrame,
        epci: pl.DataFrame,
        departements: pl.DataFrame,
        regions: pl.DataFrame,
    ) -> TerritoryResolver:
        """Build from frames shaped like the reference's (tests use tiny hand-made ones)."""
        return cls(build_index(communes, communes_deleguees, epci, departements, regions))

    def resolve(
        self,
        *,
        code_insee: str | None = None,
        commune: str | None = None,
        code_postal: str | None = None,
        departement: str | None = None,
        epci: str | None = None,
        texte: str | None = None,
    ) -> Resolution:
        """The territory these typed fields designate (any subset; blanks count as absent)."""
        return self._resolve_with(
            self._decider, code_insee, commune, code_postal, departement, epci, texte
        )

    def _resolve_with(
        self,
        decider: Decider,
        code_insee: str | None = None,
        commune: str | None = None,
        code_postal: str | None = None,
        departement: str | None = None,
        epci: str | None = None,
        texte: str | None = None,
    ) -> Resolution:
        outcome = decider.decide(
            code_insee=blank_to_none(code_insee),
            commune=blank_to_none(commune),
            code_postal=blank_to_none(code_postal),
            departement=blank_to_none(departement),
            epci=blank_to_none(epci),
            texte=blank_to_none(texte),
        )
        index = self._index
        commune_info = index.communes.get(outcome.commune_code or "")
        epci_info = index.epcis.get(outcome.epci_siren or "")
        dep_info = index.departements.get(outcome.departement_code or "")
        region_info = index.regions.get(outcome.region_code or "")
        return Resolution(
            statut=outcome.statut,
            niveau=outcome.niveau,
            commune_code=outcome.commune_code,
            commune_nom=commune_info.nom if commune_info else None,
            epci_siren=outcome.epci_siren,
            departement_code=outcome.departement_code,
            region_code=outcome.region_code,
            message=outcome.message,
            candidats=tuple(
                Candidate(c.niveau, c.code, c.nom, c.departement_code, c.region_code)
                for c in outcome.candidats
            ),
            epci_nom=epci_info.nom if epci_info else None,
            departement_nom=dep_info.nom if dep_info else None,
            region_nom=region_info.nom if region_info else None,
        )

    def resolve_frame(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``frame`` with the resolved territory of each row appended (``OUTPUT_COLUMNS``).

        Reads whichever of ``INPUT_COLUMNS`` exist (cast to text); each distinct combination
        is resolved once and joined back, since forms repeat the same territories. Row order
        and every input column are kept.
        """
        clash = sorted(set(OUTPUT_COLUMNS) & set(frame.columns))
        if clash:
            raise ValueError(f"resolve_frame: columns already present: {', '.join(clash)}")
        inputs = [c for c in INPUT_COLUMNS if c in frame.columns]
        if not inputs:
            raise ValueError(f"resolve_frame: none of the input columns {INPUT_COLUMNS}")
        keys = frame.select(pl.col(c).cast(pl.String) for c in inputs)
        distinct = keys.unique(maintain_order=True)
        rows = []
        # a decider of its own, which reads each postcode, name or code once for the frame
        # (thousands of combinations repeat them); the shared one remembers nothing
        decider = Decider(self._index, remember=True)
        for combination in distinct.iter_rows(named=True):
            found = self._resolve_with(decider, **combination)
            rows.append(
                (
                    found.statut,
                    found.niveau,
                    found.commune_code,
                    found.epci_siren,
                    found.departement_code,
                    found.region_code,
                    found.explanation_fr(),
                )
            )
        resolved = pl.DataFrame(rows, schema=[(c, pl.String) for c in OUTPUT_COLUMNS], orient="row")
        lookup = pl.concat(
            [distinct.rename({c: f"__{c}" for c in inputs}), resolved], how="horizontal"
        )
        joined = keys.rename({c: f"__{c}" for c in inputs}).join(
            lookup,
            on=[f"__{c}" for c in inputs],
            how="left",
            nulls_equal=True,
            maintain_order="left",
        )
        return pl.concat([frame, joined.select(OUTPUT_COLUMNS)], how="horizontal")
