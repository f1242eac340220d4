"""Key figures of an edition for communication: chosen, sourced, written the French way.

The numbers come from the semantic layer (:func:`etl.semantic.key_figures.chiffres_cles`, the one
definition shared with the app and the notebooks) and from the national context
(``config/references_nationales.toml`` via :mod:`etl.semantic.national`); this module only picks
them, writes them (``12 345 h``, ``12,5 %``), attaches their source and date, counts the
data warnings behind each one, and hides small territorial counts of people
(:mod:`dashboard.press.small_numbers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from dashboard.press import small_numbers
from etl import warehouse
from etl.frames import apply
from etl.french import (
    format_date,
    format_decimal,
    format_hours,
    format_integer,
    format_share,
    plural,
    sorted_by_name,
)
from etl.semantic import national
from etl.semantic.key_figures import ChiffresCles, Filtres, chiffres_cles


@dataclass(frozen=True)
class ChiffreCle:
    """One publishable figure: value, French text, what it covers, source and date.

    ``avertissements``: data warnings recorded on the fields it is computed from, over the
    candidatures it covers; only a figure without any may become a « Chiffre marquant ».
    """

    code: str
    libelle: str
    valeur: float | None
    texte: str
    portee: str
    base: str
    source: str
    date: str
    avertissements: int = 0

    @property
    def publiable(self) -> bool:
        """Whether it may be tagged « Chiffre marquant » (no warning, a known value)."""
        return self.avertissements == 0 and self.valeur is not None


@dataclass(frozen=True)
class SourceEntrepot:
    """Where an edition's figures come from: its loaded files and the latest load date."""

    edition: int
    fichiers: tuple[str, ...]
    charge_le: date | None
    fictif: bool

    def texte(self) -> str:
        fichiers = ", ".join(self.fichiers) or "aucun fichier"
        suffixe = " — DONNÉES FICTIVES" if self.fictif else ""
        return (
            f"Candidatures aux Trophées de l'Achat Socialement Responsable {self.edition} "
            f"(formulaire en ligne ; fichiers {fichiers}){suffixe}"
        )

    def date_texte(self) -> str:
        return format_date(self.charge_le) if self.charge_le else "date inconnue"


def source_entrepot(con: duckdb.DuckDBPyConnection, edition: int) -> SourceEntrepot:
    """The files loaded for ``edition`` (lineage table) and when the latest was loaded."""
    rows = con.sql(
        "select fichier, charge_le from chargements_table where edition = ? order by fichier",
        params=[edition],
    ).fetchall()
    dates = [r[1] for r in rows if r[1] is not None]
    return SourceEntrepot(
        edition=edition,
        fichiers=tuple(str(r[0]) for r in rows),
        charge_le=max(dates).date() if dates else None,
        fictif=warehouse.is_fictitious(con),
    )


def warnings_by_field(con: duckdb.DuckDBPyConnection, edition: int) -> dict[str, int]:
    """Data problems (warnings and non-blocking errors) still attached to current
    candidatures of ``edition``, counted per form field."""
    rows = con.sql(
        """
        select p.champ, count(*)
        from problemes p
        join candidatures c
          on c.edition = p.edition and c.fichier = p.fichier and c.ligne = p.ligne
        where p.edition = ? and p.champ is not null
        group by all
        """,
        params=[edition],
    ).fetchall()
    return {str(champ): int(n) for champ, n in rows}


def _count(n: int, singulier: str, pluriel: str) -> str:
    return f"{format_integer(n)} {singulier if n == 1 else pluriel}"


def edition_figures(con: duckdb.DuckDBPyConnection, edition: int) -> list[ChiffreCle]:
    """The headline figures of an edition (all its current candidatures), in reading order."""
    cc = chiffres_cles(con, Filtres(edition=edition))
    src = source_entrepot(con, edition)
    alertes = warnings_by_field(con, edition)

    def warn(*champs: str) -> int:
        return sum(alertes.get(c, 0) for c in champs)

    portee = f"Édition {edition}, toutes les candidatures"
    source, quand = src.texte(), src.date_texte()
    base_toutes = f"sur {_count(cc.candidatures, 'candidature', 'candidatures')}"

    def renseignees(n: int, quoi: str) -> str:
        return f"{plural(n, 'candidature')} sur {format_integer(cc.candidatures)} {quoi}"

    figures = [
        ChiffreCle(
            "candidatures",
            "Candidatures reçues",
            cc.candidatures,
            _count(cc.candidatures, "candidature", "candidatures"),
            portee,
            "candidatures courantes (doublons et versions remplacées exclus)",
            source,
            quand,
        ),
        ChiffreCle(
            "structures",
            "Structures candidates",
            cc.structures,
            _count(cc.structures, "structure", "structures"),
            portee,
            base_toutes,
            source,
            quand,
            warn("structure_nom"),
        ),
        ChiffreCle(
            "heures",
            "Heures d'insertion réalisées",
            cc.heures,
            format_hours(cc.heures),
            portee,
            renseignees(cc.heures_renseignees, "renseignent les heures"),
            source,
            quand,
            warn("heures_insertion"),
        ),
        ChiffreCle(
            "participants",
            "Participants aux clauses",
            cc.participants,
            _count(cc.participants, "personne", "personnes"),
            portee,
            renseignees(cc.participants_renseignes, "renseignent les participants"),
            source,
            quand,
            warn("nb_participants"),
        ),
        ChiffreCle(
            "marches_clauses",
            "Marchés comportant une clause sociale",
            cc.marches_clauses,
            _count(cc.marches_clauses, "marché", "marchés"),
            portee,
            renseignees(cc.marches_renseignes, "renseignent les marchés"),
            source,
            quand,
            warn("nb_marches_clauses"),
        ),
    ]
    hpp = cc.heures_par_participant
    figures.append(
        ChiffreCle(
            "heures_par_participant",
            "Heures d'insertion par participant",
            hpp,
            format_hours(round(hpp)) if hpp is not None else small_numbers.NON_RENSEIGNE,
            portee,
            renseignees(cc.candidatures_heures_participants, "renseignent heures et participants"),
            source,
            quand,
            warn("heures_insertion", "nb_participants"),
        )
    )
    for part in cc.parts:
        valeur = part.part
        texte = format_share(valeur) if valeur is not None else small_numbers.NON_RENSEIGNE
        if part.personnes < small_numbers.SEUIL:
            valeur, texte = None, small_numbers.MOINS_DE_5 + " personnes"
        code = "part_" + part.colonne.removeprefix("nb_")
        figures.append(
            ChiffreCle(
                code,
                f"{part.libelle} parmi les participants",
                valeur,
                texte,
                portee,
                f"{format_integer(part.participants)} participants de "
                f"{plural(part.candidatures, 'candidature')} renseignant ce public",
                source,
                quand,
                warn(part.colonne, "nb_participants"),
            )
        )
    h1000 = cc.heures_pour_1000_habitants
    figures.append(
        ChiffreCle(
            "heures_pour_1000_habitants",
            "Heures d'insertion pour 1 000 habitants",
            h1000,
            f"{format_decimal(h1000)} h" if h1000 is not None else small_numbers.NON_RENSEIGNE,
            portee,
            f"population : {cc.perimetre_population} (populations légales 2023, INSEE)",
            source,
            quand,
            warn("heures_insertion"),
        )
    )
    return figures


def _reference_text(figure: national.NationalFigure) -> str:
    shown = format_hours(int(figure.valeur)) if figure.unite == "h" else format_share(figure.valeur)
    return f"{figure.prefixe} {shown}".strip()


def context_figures() -> list[ChiffreCle]:
    """The published reference figures (national context first), each with its scope."""
    figures = sorted(
        national.national_figures().values(), key=lambda f: not f.portee.startswith("France")
    )
    return [
        ChiffreCle(
            f"contexte_{f.code}",
            f.libelle,
            f.valeur,
            _reference_text(f),
            f.portee,
            "chiffre publié",
            f.source,
            str(f.annee),
        )
        for f in figures
    ]


def category_counts(con: duckdb.DuckDBPyConnection, edition: int, codes: list[str]) -> list[int]:
    """Candidatures seeking each prize (``codes`` in the edition's order)."""
    return [chiffres_cles(con, Filtres(edition=edition, categorie=c)).candidatures for c in codes]


# --------------------------------------------------------------------------- territories

PERSONNES: dict[str, str] = {
    "participants": "Participants",
    "nb_femmes": "Femmes",
    "nb_seniors": "Seniors (50 ans et plus)",
    "nb_residents_qpv": "Résidents des QPV",
}
"""Columns of the territorial table that count people (suppressed under 5)."""


def _people(cc: ChiffresCles) -> dict[str, int | None]:
    values: dict[str, int | None] = {
        "participants": cc.participants if cc.participants_renseignes else None
    }
    for part in cc.parts:
        values[part.colonne] = part.personnes if part.candidatures else None
    return values


@dataclass(frozen=True)
class TableauTerritorial:
    """Per-région figures of an edition with the edition's total, people counts masked."""

    edition: int
    regions: tuple[tuple[str, str], ...]  # (code, nom)
    candidatures: tuple[int, ...]
    heures: tuple[int, ...]
    personnes: dict[str, tuple[int | None, ...]]
    masques: dict[str, small_numbers.Masque]
    total: ChiffresCles

    def _people_cells(self, colonne: str, fmt: bool) -> list[str]:
        masque = self.masques[colonne]
        return [
            small_numbers.shown_count(
                v, p, c, format_integer(v) if fmt and v is not None else str(v)
            )
            for v, p, c in zip(
                self.personnes[colonne], masque.primaire, masque.complementaire, strict=True
            )
        ]

    def _frame(self, fmt: bool) -> pl.DataFrame:
        total_people = _people(self.total)
        data: dict[str, list[object]] = {
            "Région": [*(nom for _, nom in self.regions), "Total de l'édition"],
            "Candidatures": [*self.candidatures, self.total.candidatures],
            "Heures d'insertion": [*self.heures, self.total.heures],
        }
        for colonne, libelle in PERSONNES.items():
            t = total_people[colonne]
            total_txt = small_numbers.shown_total(
                t, format_integer(t) if fmt and t is not None else str(t)
            )
            data[libelle] = [*self._people_cells(colonne, fmt), total_txt]
        frame = pl.DataFrame(data, strict=False)
        if fmt:
            frame = frame.with_columns(
                apply(frame[name], format_integer)
                for name in ("Candidatures", "Heures d'insertion")
            )
        return frame

    def affichage(self) -> pl.DataFrame:
        """For people: French numbers, « moins de 5 », « secret statistique »."""
        return self._frame(fmt=True)

    def tableur(self) -> pl.DataFrame:
        """For the CSV: plain integers, the same hidden cells written as words."""
        return self._frame(fmt=False)


def territorial_table(con: duckdb.DuckDBPyConnection, edition: int) -> TableauTerritorial:
    """Candidatures, hours and people per région of ``edition`` (régions with candidatures)."""
    regions = con.sql(
        """
        select distinct c.region_code, r.nom
        from candidatures c join ref_regions r on r.code = c.region_code
        where c.edition = ?
        """,
        params=[edition],
    ).fetchall()
    regions = sorted_by_name(regions, lambda row: str(row[1]))
    rows = [chiffres_cles(con, Filtres(edition=edition, region=code)) for code, _ in regions]
    personnes = {col: tuple(_people(cc)[col] for cc in rows) for col in PERSONNES}
    return TableauTerritorial(
        edition=edition,
        regions=tuple((str(code), str(nom)) for code, nom in regions),
        candidatures=tuple(cc.candidatures for cc in rows),
        heures=tuple(cc.heures for cc in rows),
        personnes=personnes,
        masques={col: small_numbers.column_mask(values) for col, values in personnes.items()},
        total=chiffres_cles(con, Filtres(edition=edition)),
    )


def meaningful(value: float | None) -> float | None:
    """A number rounded to what it means: shares (below 1) to 0,1 point of percentage,
    counts and hours to one decimal (the CSV carries no float noise)."""
    if value is None:
        return None
    return round(value, 3) if abs(value) < 1 else round(value, 1)


def figures_frame(figures: list[ChiffreCle]) -> pl.DataFrame:
    """Key figures as a table for the CSV/XLSX exports and the page."""
    return pl.DataFrame(
        {
            "Chiffre": [f.libelle for f in figures],
            "Valeur": [f.texte for f in figures],
            "Valeur numérique": [meaningful(f.valeur) for f in figures],
            "Portée": [f.portee for f in figures],
            "Base": [f.base for f in figures],
            "Source": [f.source for f in figures],
            "Date": [f.date for f in figures],
            "Avertissements de données": [f.avertissements for f in figures],
        },
        schema_overrides={"Valeur numérique": pl.Float64},
    )
