"""Deciding a territory from the evidence of each field (pure, given the index).

The rule: every commune pointed to by a code or a name is a candidate; its score is the sum
of the weights the fields give it (see ``etl.territory.reading``). The best candidate wins
only if it leads the next by at least half a point; ties are *ambigu*. A winner is *exact*
when every field given supports it directly; otherwise the message lists what was trusted
and what was set aside (phrased by ``etl.territory.outcomes``). Without any candidate
commune, the EPCI, then the département, then the région named is the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from etl.territory.index import TerritoryIndex
from etl.territory.names import compact
from etl.territory.outcomes import Outcome, OutcomeWriter, Readings
from etl.territory.reading import (
    FUZZY_WEIGHT,
    NAME_WEIGHTS,
    AreaReading,
    CommuneEvidence,
    EpciReading,
    read_area_name,
    read_commune_name,
    read_commune_name_loosely,
    read_departement,
    read_epci,
    read_insee,
    read_postcode,
    split_free_text,
)

HINT_WEIGHT = 0.5
AREA_WEIGHT = 1.0
MARGIN = 0.5  # a winner must lead by this much; every weight is a multiple of it
FUZZY_ALONE_MIN_LENGTH = 8  # a lone one-typo reading of a shorter name is not trusted

_Reading = TypeVar("_Reading")


@dataclass
class _Slots:
    """The typed values, once codes and names written in the wrong field are put back."""

    code_insee: str | None
    commune: str | None
    code_postal: str | None
    departement: str | None
    epci: str | None
    commune_from_texte: bool = False
    notes: list[str] = field(default_factory=list)


class Decider:
    """Reads the fields, scores the candidate communes, and chooses (or declines to)."""

    def __init__(self, index: TerritoryIndex, remember: bool = False) -> None:
        """``remember``: read each typed value once (the readings are pure and never
        changed once made): for one frame's combinations, which repeat the same postcodes,
        names and départements. Off for the resolver shared by every caller."""
        self.index = index
        self.write = OutcomeWriter(index)
        self._memo: dict[tuple[Callable[..., object], str], object] | None = (
            {} if remember else None
        )

    def _once(self, reader: Callable[[TerritoryIndex, str], _Reading], typed: str) -> _Reading:
        """``reader(self.index, typed)``, computed once per value when remembering."""
        if self._memo is None:
            return reader(self.index, typed)
        key = (reader, typed)
        if key not in self._memo:
            self._memo[key] = reader(self.index, typed)
        return self._memo[key]  # type: ignore[return-value]

    # -- slots ---------------------------------------------------------------------------

    def _slots(
        self,
        code_insee: str | None,
        commune: str | None,
        code_postal: str | None,
        departement: str | None,
        epci: str | None,
        texte: str | None,
    ) -> _Slots:
        """Put codes written beside a name (« 75012 Paris », « Saint-Denis (974) ») in their slots.

        The free text only fills slots left empty; its name part goes to the commune slot,
        or to the EPCI slot when the commune slot is taken and it names an EPCI.
        """
        slots = _Slots(code_insee, None, code_postal, departement, epci)
        for text, is_commune_field in ((commune, True), (texte, False)):
            if text is None:
                continue
            parts = split_free_text(text)
            if parts.code:
                if parts.code in self.index.postcodes or parts.code not in self.index.communes:
                    slots.code_postal = slots.code_postal or parts.code
                else:
                    slots.code_insee = slots.code_insee or parts.code
            if parts.departement and slots.departement is None:
                reading = self._once(read_departement, parts.departement)
                if reading.problem is None:
                    slots.departement = parts.departement
            if parts.siren and slots.epci is None:
                slots.epci = parts.siren
            if parts.name and slots.commune is None:
                slots.commune = parts.name
                slots.commune_from_texte = not is_commune_field
            elif (
                parts.name
                and not is_commune_field
                and slots.epci is None
                and self._once(read_epci, parts.name).problem is None
            ):
                slots.epci = parts.name
        return slots

    def _read(self, slots: _Slots) -> Readings:
        """Read each slot; a commune name that is really an EPCI or an area moves there."""
        evidence: list[CommuneEvidence] = []
        notes = list(slots.notes)
        area = self._once(read_departement, slots.departement) if slots.departement else None
        epci = self._once(read_epci, slots.epci) if slots.epci else None
        if slots.code_insee:
            evidence.append(self._once(read_insee, slots.code_insee))
        if slots.code_postal:
            evidence.append(self._once(read_postcode, slots.code_postal))
        if slots.commune:
            name, glued_dep = self._once(read_commune_name, slots.commune)
            if glued_dep and area is None:
                area = self._once(read_departement, glued_dep)
            if not name.weights:
                moved = self._move_name(slots.commune, area, epci)
                if moved is not None:
                    area, epci, note = moved
                    if not slots.commune_from_texte:
                        notes.append(note)
                    name = CommuneEvidence("commune", slots.commune)
                else:
                    name = self._once(read_commune_name_loosely, slots.commune)
            if name.weights or name.problem:
                evidence.append(name)
            if name.weights and not name.fuzzy:
                alternative = self._area_alternative(slots.commune, name)
                if alternative is not None:
                    weight = NAME_WEIGHTS["commune"] if slots.commune_from_texte else FUZZY_WEIGHT
                    return Readings(evidence, area, epci, notes, alternative, weight)
        return Readings(evidence, area, epci, notes)

    def _area_alternative(self, typed: str, name: CommuneEvidence) -> AreaReading | None:
        """The area a commune name also designates, unless the area is that one commune (Paris)."""
        named = self._once(read_area_name, typed)
        if named is None:
            return None
        if len(named.departements) == 1:
            dep = named.departements[0]
            whole = self.index.communes_per_departement.get(dep) == 1
            if whole and any(self.index.communes[c].departement_code == dep for c in name.weights):
                return None
        return named

    def _move_name(
        self, typed: str, area: AreaReading | None, epci: EpciReading | None
    ) -> tuple[AreaReading | None, EpciReading | None, str] | None:
        """A name that is no commune but an area or an EPCI, read as such (with its note)."""
        named_area = self._once(read_area_name, typed)
        if named_area is not None:
            what = "un département" if named_area.departements else "une région"
            kept = area if area is not None and area.problem is None else named_area
            return kept, epci, f"« {typed} » est {what}, pas une commune"
        named_epci = self._once(read_epci, typed)
        if named_epci.problem is None:
            kept_epci = epci if epci is not None and epci.problem is None else named_epci
            return area, kept_epci, f"« {typed} » est un EPCI, pas une commune"
        return None

    # -- decision ------------------------------------------------------------------------

    def decide(
        self,
        *,
        code_insee: str | None,
        commune: str | None,
        code_postal: str | None,
        departement: str | None,
        epci: str | None,
        texte: str | None,
    ) -> Outcome:
        """The outcome for one set of typed fields (already stripped; ``None`` when blank)."""
        if not any((code_insee, commune, code_postal, departement, epci, texte)):
            return Outcome("inconnu", None, message="Aucun territoire saisi.")
        readings = self._read(
            self._slots(code_insee, commune, code_postal, departement, epci, texte)
        )
        scores = self._scores(readings)
        if not scores:
            return self.write.area(readings)
        ranked = sorted(scores, key=lambda c: (-scores[c], c))
        best = ranked[0]
        tied = [c for c in ranked if scores[c] > scores[best] - MARGIN]
        if readings.alternative is not None:
            settled = self._settle_alternative(readings, readings.alternative, scores[best], tied)
            if settled is not None:
                return settled
        if len(tied) == 1 and self._trusted(best, scores[best], readings):
            return self.write.commune(self.index.communes[best], readings)
        if len(tied) > 1:
            return self.write.ambiguous(tied, readings)
        return self.write.fuzzy_refused(best, readings)

    def _settle_alternative(
        self, readings: Readings, alternative: AreaReading, best_score: float, tied: list[str]
    ) -> Outcome | None:
        """A name that is both a commune and an area: the better supported wins, else *ambigu*.

        Returns ``None`` when the commune wins (a note then says the area was set aside).
        """
        score = readings.alternative_weight
        area = readings.area
        if (
            area is not None
            and area.problem is None
            and (
                set(area.departements) & set(alternative.departements)
                or (area.region_code is not None and area.region_code == alternative.region_code)
            )
        ):
            score += AREA_WEIGHT
        typed = next(ev.typed for ev in readings.evidence if ev.source == "commune")
        what = self.write.area_words(alternative)
        if score - best_score >= MARGIN:
            notes = [*readings.notes, f"« {typed} » désigne aussi une commune ; retenu : {what}"]
            return self.write.area(Readings([], alternative, readings.epci, notes=notes))
        if best_score - score >= MARGIN:
            preferred = "la commune est préférée" if len(tied) == 1 else "une commune est préférée"
            readings.notes.append(f"« {typed} » désigne aussi {what} : {preferred}")
            return None
        return self.write.ambiguous(tied, readings, extra=alternative)

    def _scores(self, readings: Readings) -> dict[str, float]:
        """Total weight of every candidate commune (those a code or a name points to)."""
        communes = self.index.communes
        candidates = {code for ev in readings.evidence for code in ev.weights}
        area, epci = readings.area, readings.epci
        scores = {}
        for code in candidates:
            info = communes[code]
            score = 0.0
            for ev in readings.evidence:
                weight = ev.weights.get(code)
                if weight:
                    score += weight
                elif info.departement_code in ev.hint_departements:
                    score += HINT_WEIGHT
            if area is not None:
                if info.departement_code in area.departements:
                    score += area.weight
                elif not area.departements and area.region_code == info.region_code:
                    score += AREA_WEIGHT
            if epci is not None and info.epci_siren in epci.sirens:
                score += AREA_WEIGHT
            scores[code] = score
        return scores

    def _trusted(self, code: str, score: float, readings: Readings) -> bool:
        """False for a short name read through one typo with nothing else agreeing."""
        for ev in readings.evidence:
            if ev.fuzzy and code in ev.weights and score <= FUZZY_WEIGHT:
                return len(compact(ev.name_key or "")) >= FUZZY_ALONE_MIN_LENGTH
        return True
