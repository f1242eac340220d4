"""The outcomes of a territory decision, phrased in French for the people who read them (pure).

``etl.territory.decision`` chooses; this module turns the choice into an ``Outcome``: the
codes retained and a message saying what was trusted, what was set aside and why, or what
would settle an ambiguity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from etl.french import plural
from etl.territory.index import CommuneInfo, TerritoryIndex
from etl.territory.reading import AreaReading, CommuneEvidence, EpciReading

StatutName = Literal["exact", "avertissement", "ambigu", "inconnu"]
NiveauName = Literal["commune", "epci", "departement", "region"]


@dataclass(frozen=True)
class CandidateOutcome:
    """A candidate as the decision sees it (``etl.territory.Candidate`` is built from it)."""

    niveau: NiveauName
    code: str
    nom: str
    departement_code: str | None
    region_code: str | None


@dataclass(frozen=True)
class Outcome:
    """The decision, in codes; ``etl.territory.Resolution`` adds names for people."""

    statut: StatutName
    niveau: NiveauName | None
    commune_code: str | None = None
    epci_siren: str | None = None
    departement_code: str | None = None
    region_code: str | None = None
    message: str = ""
    candidats: tuple[CandidateOutcome, ...] = ()


@dataclass
class Readings:
    """Everything read from the slots: commune evidence and named areas."""

    evidence: list[CommuneEvidence]
    area: AreaReading | None
    epci: EpciReading | None
    notes: list[str]
    # a commune name that is also a département's or région's name (« Vienne », « La Réunion »)
    alternative: AreaReading | None = None
    alternative_weight: float = 0.0


def _sentence(parts: list[str]) -> str:
    """French sentences from clauses: capitalised, joined by « ; », ended by a full stop."""
    text = " ; ".join(p for p in parts if p)
    return (text[0].upper() + text[1:] + ".") if text else ""


def _join_fr(items: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


class OutcomeWriter:
    """Builds outcomes (codes + French message) from the readings and the choice made."""

    def __init__(self, index: TerritoryIndex) -> None:
        self.index = index

    def area_words(self, area: AreaReading) -> str:
        """« le département Vienne (86) » / « la région Bretagne (53) »."""
        if len(area.departements) == 1:
            dep = self.index.departements[area.departements[0]]
            return f"le département {dep.nom} ({dep.code})"
        region = self.index.regions[area.region_code or ""]
        return f"la région {region.nom} ({region.code})"

    def fuzzy_refused(self, code: str, readings: Readings) -> Outcome:
        """Unknown name whose only neighbour is too short a guess: suggest it, decide nothing."""
        info = self.index.communes[code]
        typed = next(ev.typed for ev in readings.evidence if ev.fuzzy)
        return Outcome(
            "inconnu",
            None,
            message=_sentence(
                [
                    f"aucune commune ne s'appelle « {typed} »",
                    f"vouliez-vous dire {info.nom} ({info.code}, dép. {info.departement_code}) ?",
                ]
            ).rstrip("."),
            candidats=(self._commune_candidate(info),),
        )

    def _label(self, ev: CommuneEvidence) -> str:
        """How a field is named in a message: « le code postal 51100 »."""
        return {
            "code_insee": f"le code INSEE {ev.typed}",
            "code_postal": f"le code postal {ev.typed}",
            "commune": f"le nom « {ev.typed} »",
            "departement": f"le département {ev.typed}",
            "epci": f"l'EPCI « {ev.typed} »",
        }[ev.source]

    def _pointed(self, ev: CommuneEvidence) -> str:
        """The communes a field points to, for « écarté : … qui désigne … »."""
        codes = sorted(ev.weights, key=lambda c: -ev.weights[c])
        names = [f"{self.index.communes[c].nom} ({c})" for c in codes[:3]]
        more = f" et {plural(len(codes) - 3, 'autre')}" if len(codes) > 3 else ""
        return ", ".join(names) + more

    def _why_name(self, ev: CommuneEvidence, winner: CommuneInfo, area_ok: bool) -> str:
        """Why a name was enough: unique in France, or in the département given."""
        counts = self.index.communes_by_name_count
        key = ev.name_key or ""
        if counts.get((key, ""), 0) == 1:
            return " (nom unique en France)"
        if area_ok and counts.get((key, winner.departement_code), 0) == 1:
            return f" (seule commune de ce nom dans le département {winner.departement_code})"
        return ""

    def commune(self, winner: CommuneInfo, readings: Readings) -> Outcome:
        """A resolved commune, exact or with the notes of what was corrected or set aside."""
        notes = list(readings.notes)
        trusted: list[str] = []
        set_aside: list[str] = []
        area, epci = readings.area, readings.epci
        area_ok = area is not None and (
            winner.departement_code in area.departements
            or (not area.departements and area.region_code == winner.region_code)
        )
        why = ""
        for ev in readings.evidence:
            if ev.weights.get(winner.code):
                trusted.append(self._label(ev))
                if ev.notes.get(winner.code):
                    notes.append(ev.notes[winner.code])
                if ev.source == "commune" and not ev.fuzzy:
                    why = self._why_name(ev, winner, area_ok)
            elif ev.problem:
                set_aside.append(ev.problem)
            else:
                set_aside.append(f"{self._label(ev)}, qui désigne {self._pointed(ev)}")
        if area is not None:
            self._judge_area(area, area_ok, winner, trusted, notes, set_aside)
        if epci is not None:
            if epci.problem:
                set_aside.append(epci.problem)
            elif winner.epci_siren in epci.sirens:
                trusted.append(f"l'EPCI « {epci.typed} »")
            else:
                set_aside.append(f"{winner.nom} n'est pas membre de l'EPCI « {epci.typed} »")
        message = ""
        if set_aside:
            message = _sentence(
                [
                    *notes,
                    f"retenu : {winner.nom} ({winner.code}) d'après {_join_fr(trusted)}{why}",
                    "écarté : " + " ; ".join(set_aside),
                ]
            )
        elif notes:
            message = _sentence(notes)
        return Outcome(
            "avertissement" if message else "exact",
            "commune",
            commune_code=winner.code,
            epci_siren=winner.epci_siren,
            departement_code=winner.departement_code,
            region_code=winner.region_code,
            message=message,
        )

    def _judge_area(
        self,
        area: AreaReading,
        area_ok: bool,
        winner: CommuneInfo,
        trusted: list[str],
        notes: list[str],
        set_aside: list[str],
    ) -> None:
        """Whether the département (or région) typed agrees with the commune retained."""
        if area.note:
            notes.append(area.note)
        label = f"le département « {area.typed} »" if area.departements else "la région"
        if area_ok and area.problem:
            notes.append(area.problem)
            trusted.append(label)
        elif area_ok:
            trusted.append(label)
        elif area.problem:
            set_aside.append(area.problem)
        else:
            dep = self.index.departements[winner.departement_code]
            set_aside.append(
                f"le département « {area.typed} » : {winner.nom} est dans le département "
                f"{dep.code} ({dep.nom})"
            )

    def _commune_candidate(self, info: CommuneInfo) -> CandidateOutcome:
        return CandidateOutcome(
            "commune", info.code, info.nom, info.departement_code, info.region_code
        )

    def _area_candidate(self, area: AreaReading) -> CandidateOutcome:
        if len(area.departements) == 1:
            dep = self.index.departements[area.departements[0]]
            return CandidateOutcome("departement", dep.code, dep.nom, dep.code, dep.region_code)
        region = self.index.regions[area.region_code or ""]
        return CandidateOutcome("region", region.code, region.nom, None, region.code)

    def ambiguous(
        self, tied: list[str], readings: Readings, extra: AreaReading | None = None
    ) -> Outcome:
        """Several readings tie: list them, with what they share and what would separate them."""
        infos = sorted(
            (self.index.communes[c] for c in tied), key=lambda i: (i.departement_code, i.code)
        )
        candidates = [self._commune_candidate(i) for i in infos]
        if extra is not None:
            candidates.append(self._area_candidate(extra))
        deps = {c.departement_code for c in candidates}
        regions = {c.region_code for c in candidates}
        sources = [ev for ev in readings.evidence if any(c in ev.weights for c in tied)]
        others = [
            ev.problem or f"{self._label(ev)} désigne {self._pointed(ev)}"
            for ev in readings.evidence
            if ev not in sources
        ]
        if extra is not None:
            ev = sources[0]
            clause = (
                f"« {ev.typed} » désigne la commune {infos[0].nom} ({infos[0].code})"
                + (f" et {plural(len(infos) - 1, 'autre')}" if len(infos) > 1 else "")
                + f" mais aussi {self.area_words(extra)} : précisez"
            )
        elif len(sources) == 1 and sources[0].source == "commune":
            ev = sources[0]
            what = "ressemble à" if ev.fuzzy else "désigne"
            where = ", ".join(sorted({i.departement_code for i in infos}))
            clause = (
                f"« {ev.typed} » {what} {len(infos)} communes (départements {where}) : "
                "précisez le département ou le code postal"
            )
        elif len(sources) == 1:
            clause = f"{self._label(sources[0])} désigne {len(infos)} communes : précisez le nom"
        else:
            labels = [self._label(ev) for ev in sources]
            clause = (
                f"{_join_fr(labels)} désignent des communes différentes et rien ne permet "
                "de choisir"
            )
        return Outcome(
            "ambigu",
            None,
            departement_code=deps.pop() if len(deps) == 1 else None,
            region_code=regions.pop() if len(regions) == 1 else None,
            message=_sentence([*readings.notes, clause, *others]),
            candidats=tuple(candidates),
        )

    def area(self, readings: Readings) -> Outcome:
        """No candidate commune: the EPCI, département or région named, else unknown."""
        problems = [ev.problem for ev in readings.evidence if ev.problem]
        notes = [*readings.notes, *problems]
        epci, area = readings.epci, readings.area
        if epci is not None and epci.sirens:
            return self._epci_outcome(epci, area, notes)
        if epci is not None and epci.problem:
            notes.append(epci.problem)
        if area is not None and area.problem is None:
            if area.note:
                notes.append(area.note)
            if len(area.departements) == 1:
                code = area.departements[0]
                return Outcome(
                    "avertissement" if notes else "exact",
                    "departement",
                    departement_code=code,
                    region_code=self.index.departements[code].region_code,
                    message=_sentence(notes),
                )
            return Outcome(
                "avertissement" if notes else "exact",
                "region",
                region_code=area.region_code,
                message=_sentence(notes),
            )
        if area is not None and area.problem:
            notes.append(area.problem)
        hinted = {d for ev in readings.evidence for d in ev.hint_departements}
        if len(hinted) == 1 and area is None:
            code = hinted.pop()
            notes.append(f"seul le département {code} est déduit du code saisi")
            return Outcome(
                "avertissement",
                "departement",
                departement_code=code,
                region_code=self.index.departements[code].region_code,
                message=_sentence(notes),
            )
        return Outcome("inconnu", None, message=_sentence(notes) or "Territoire introuvable.")

    def _epci_outcome(
        self, epci: EpciReading, area: AreaReading | None, notes: list[str]
    ) -> Outcome:
        """An EPCI named (by SIREN or name); homonyms are separated by the département given."""
        sirens = list(epci.sirens)
        if len(sirens) > 1 and area is not None and area.departements:
            inside = [
                s for s in sirens if set(self.index.epcis[s].departements) & set(area.departements)
            ]
            sirens = inside or sirens
        if len(sirens) > 1:
            infos = [self.index.epcis[s] for s in sirens]
            return Outcome(
                "ambigu",
                None,
                message=_sentence(
                    [*notes, f"« {epci.typed} » désigne {len(infos)} EPCI : précisez lequel"]
                ),
                candidats=tuple(
                    CandidateOutcome(
                        "epci",
                        i.siren,
                        i.nom,
                        i.departements[0] if len(i.departements) == 1 else None,
                        i.regions[0] if len(i.regions) == 1 else None,
                    )
                    for i in infos
                ),
            )
        info = self.index.epcis[sirens[0]]
        warnings = list(notes)
        if area is not None:
            if area.problem:
                warnings.append(area.problem)
            elif area.departements and not set(area.departements) & set(info.departements):
                warnings.append(
                    f"le département « {area.typed} » ne correspond pas : l'EPCI {info.nom} "
                    f"est dans le(s) département(s) {', '.join(info.departements)}"
                )
        spans = ""
        if len(info.departements) > 1:
            spans = (
                f"l'EPCI {info.nom} s'étend sur {len(info.departements)} départements "
                f"({', '.join(info.departements)}) : pas de département unique"
            )
        return Outcome(
            "avertissement" if warnings else "exact",
            "epci",
            epci_siren=info.siren,
            departement_code=info.departements[0] if len(info.departements) == 1 else None,
            region_code=info.regions[0] if len(info.regions) == 1 else None,
            message=_sentence([*warnings, spans]),
        )
