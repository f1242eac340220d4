"""The procès-verbal of the jury's deliberation: a French PDF a president can sign, and
the same content as an XLSX workbook (``trophees jury proces-verbal``, « Séance du
jury » page).

Content: the jurors present, then per prize the candidates with their ranking by each
method, the decisions and their justifications, the conflicts of interest and
recusals, the close calls and how they were settled, the deliberation notes; then the
date, the place and the signature blocks. Candidatures are named « structure — projet »
only (no identifier); no contact data is ever read (the warehouse's ``contacts`` table
is not touched, jurors are named by their account's name and organisation).

Pure: frames in, bytes out (fonts: DejaVu, Debian ``fonts-dejavu-core``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import polars as pl
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from dashboard.accounts import Account
from dashboard.exports import xlsx_workbook
from dashboard.exports.fonts import BOLD, REGULAR, check_fonts
from dashboard.jury import conflicts, decisions, meeting
from dashboard.jury.rules import JuryRules
from dashboard.jury.states import ConflictOrigin, ConflictStatus, Decision
from etl.editions.model import Category, Edition
from etl.french import PARIS, format_datetime, format_decimal, format_long_date, format_ordinal
from etl.semantic import indicators, naming

FICTIF = "DÉLIBÉRATION FICTIVE DE DÉMONSTRATION : aucune décision réelle."


@dataclass(frozen=True)
class PrizeMinutes:
    """One prize in the procès-verbal (see :func:`minutes`)."""

    category: Category
    classement: pl.DataFrame
    """One row per scored candidature, best first: ``Rang``, ``Candidature``,
    ``Notes``, ``Note normalisée``, ``Moyenne (rang)``, ``Médiane (rang)``, ``Décision``,
    ``Justification``."""
    decisions: tuple[str, ...]
    """« Lauréate : structure — projet. Justification : … »."""
    serrees: tuple[str, ...]
    reglement_serrees: tuple[str, ...]
    """How each close call touching a decided candidature was settled."""
    conflits: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Minutes:
    """The whole procès-verbal of an edition's deliberation."""

    edition: Edition
    presents: tuple[str, ...]
    prix: tuple[PrizeMinutes, ...]
    date_seance: date
    genere_le: datetime
    fictif: bool

    @property
    def titre(self) -> str:
        return f"Procès-verbal de la délibération du jury — {self.edition.nom}"


def juror_label(account: Account) -> str:
    """« Nom (organisation) », the way the procès-verbal names a juror."""
    nom = account.nom or account.identifiant
    return f"{nom} ({account.organisation})" if account.organisation else nom


def _rank_text(value: float | None, rank: int) -> str:
    shown = indicators.NON_RENSEIGNE if value is None else format_decimal(value, 2)
    return f"{shown} ({format_ordinal(rank)})"


def _prize(
    con: duckdb.DuckDBPyConnection,
    edition: Edition,
    category: Category,
    rules: JuryRules,
    candidatures: pl.DataFrame,
    names: dict[str, str],
) -> PrizeMinutes:
    sheet = meeting.prize_sheet(con, edition.annee, category, rules, candidatures, names)
    c = sheet.candidats
    classement = pl.DataFrame(
        {
            "Rang": [format_ordinal(int(r)) for r in c["rang_normalise"]],
            "Candidature": c["libelle"],
            "Notes": [int(n) for n in c["nb_notes"]],
            "Note normalisée": [None if v is None else round(v, 2) for v in c["note_normalisee"]],
            "Moyenne (rang)": [
                _rank_text(v, r) for v, r in zip(c["moyenne"], c["rang_moyenne"], strict=True)
            ],
            "Médiane (rang)": [
                _rank_text(v, r) for v, r in zip(c["mediane"], c["rang_mediane"], strict=True)
            ],
            "Décision": [Decision.label_of(n) for n in c["niveau"]],
            "Justification": [j or "" for j in c["justification"]],
        },
        schema_overrides={"Note normalisée": pl.Float64, "Notes": pl.Int64},
    )
    decided = c.filter(pl.col("niveau").is_not_null())
    decided_lines = tuple(
        f"{Decision.label_of(n).capitalize()} : {lib}." + (f" Justification : {j}" if j else "")
        for n, lib, j in zip(
            decided["niveau"], decided["libelle"], decided["justification"], strict=True
        )
    )
    settled = tuple(
        f"{lib} (signalée : {' ; '.join(m)}) : {Decision.label_of(n)}"
        + (f", « {j} »." if j else ".")
        for lib, m, n, j in decided.select(
            "libelle", "motifs_serree", "niveau", "justification"
        ).iter_rows()
        if m
    )
    labels = dict(zip(c["candidature_id"], c["libelle"], strict=True))
    judged = candidatures.filter(pl.col("categorie_code") == category.code)
    labels.update(zip(judged["candidature_id"], naming.with_labels(judged)["libelle"], strict=True))
    found = conflicts.conflicts(con, edition.annee).filter(
        pl.col("candidature_id").is_in(list(labels))
    )
    conflict_lines = tuple(
        f"{names.get(j, j)} — {labels[cid]} : {motif} ({ConflictOrigin.label_of(o)}, "
        f"{ConflictStatus.label_of(s)}{', récusé·e' if r else ''})."
        for j, cid, motif, o, s, r in found.select(
            "jure", "candidature_id", "motif", "origine", "statut", "recuse"
        ).iter_rows()
    )
    notes = decisions.deliberation_notes(con, edition.annee, category.code)
    return PrizeMinutes(
        category=category,
        classement=classement,
        decisions=decided_lines,
        serrees=sheet.close_calls,
        reglement_serrees=settled,
        conflits=conflict_lines,
        notes=tuple(
            f"{format_datetime(m)} : {t}" for m, t in notes.select("cree_le", "texte").iter_rows()
        ),
    )


def minutes(
    con: duckdb.DuckDBPyConnection,
    edition: Edition,
    rules: JuryRules,
    candidatures: pl.DataFrame,
    accounts: Sequence[Account],
    *,
    fictif: bool,
    now: datetime | None = None,
) -> Minutes:
    """The procès-verbal's content for an edition.

    ``candidatures``: ``candidatures.candidatures_to_judge(edition)``; ``accounts``: the
    jury's accounts (names and organisations, nothing else is read); ``fictif``: the
    warehouse holds demo data (every page then says so).
    """
    names = {a.identifiant: a.nom or a.identifiant for a in accounts}
    by_id = {a.identifiant: a for a in accounts}
    present = meeting.presences(con, edition.annee)
    moment = now or datetime.now(PARIS)
    seance = edition.calendrier.jury.date() if edition.calendrier.jury else moment.date()
    return Minutes(
        edition=edition,
        presents=tuple(juror_label(by_id[j]) if j in by_id else j for j in present),
        prix=tuple(_prize(con, edition, c, rules, candidatures, names) for c in edition.categories),
        date_seance=seance,
        genere_le=moment,
        fictif=fictif,
    )


# --- PDF -------------------------------------------------------------------------------


class _Document(FPDF):
    def __init__(self, minutes_: Minutes) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.minutes = minutes_

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 7)
        self.set_text_color(90, 90, 90)
        bas = f"Procès-verbal du jury, {self.minutes.edition.nom} — page {self.page_no()}/{{nb}}"
        if self.minutes.fictif:
            bas = f"FICTIF — {bas}"
        self.cell(0, 5, bas, align="C")


def _heading(pdf: FPDF, text: str, size: float = 12) -> None:
    pdf.set_font("DejaVu", "B", size)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _paragraphs(pdf: FPDF, lines: Sequence[str], empty: str) -> None:
    pdf.set_font("DejaVu", "", 9)
    for line in lines or (empty,):
        text = f"• {line}" if lines else line
        pdf.multi_cell(0, 4.6, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _table(pdf: FPDF, frame: pl.DataFrame) -> None:
    columns = (
        "Rang",
        "Candidature",
        "Notes",
        "Note normalisée",
        "Moyenne (rang)",
        "Médiane (rang)",
        "Décision",
    )
    widths = (10, 60, 11, 22, 22, 22, 31)
    pdf.set_font("DejaVu", "", 7.5)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=3.8) as table:
        header = table.row()
        for name in columns:
            header.cell(name)
        for row in frame.iter_rows(named=True):
            cells = table.row()
            for name in columns:
                value = row[name]
                if name == "Note normalisée":
                    value = indicators.NON_RENSEIGNE if value is None else format_decimal(value, 2)
                cells.cell(str(value))
    pdf.ln(2)


def minutes_pdf(m: Minutes) -> bytes:
    """The procès-verbal as a French PDF (A4), with date and signature blocks."""
    check_fonts()
    pdf = _Document(m)
    pdf.add_font("DejaVu", "", str(REGULAR))
    pdf.add_font("DejaVu", "B", str(BOLD))
    pdf.set_title(m.titre)
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    if m.fictif:
        pdf.set_font("DejaVu", "B", 10)
        pdf.set_text_color(180, 30, 30)
        pdf.multi_cell(0, 5, FICTIF, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(2)
    _heading(pdf, m.titre, 15)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        0,
        5,
        f"{m.edition.organisateur} — séance du {format_long_date(m.date_seance)}. "
        f"{len(m.edition.categories)} prix à décerner.",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(3)
    _heading(pdf, "Jurés présents")
    _paragraphs(pdf, m.presents, "Présences non enregistrées.")
    for prize in m.prix:
        c = prize.category
        _heading(pdf, f"Prix {c.numero} — {c.libelle}")
        pdf.set_font("DejaVu", "", 9)
        if prize.classement.is_empty():
            pdf.multi_cell(
                0,
                4.6,
                "Aucune note envoyée : pas de délibération pour ce prix.",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            pdf.ln(2)
            continue
        _heading(pdf, "Classement (note normalisée, puis moyenne)", 10)
        _table(pdf, prize.classement)
        _heading(pdf, "Décisions", 10)
        _paragraphs(pdf, prize.decisions, "Aucune décision enregistrée.")
        _heading(pdf, "Décisions serrées et leur règlement", 10)
        _paragraphs(pdf, (*prize.serrees, *prize.reglement_serrees), "Aucune décision serrée.")
        _heading(pdf, "Conflits d'intérêts et récusations", 10)
        _paragraphs(pdf, prize.conflits, "Aucun conflit d'intérêts signalé.")
        if prize.notes:
            _heading(pdf, "Notes de délibération", 10)
            _paragraphs(pdf, prize.notes, "")
    pdf.ln(4)
    _heading(pdf, "Signatures")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        0,
        5,
        f"Fait le {format_long_date(m.date_seance)}, à ............................",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(4)
    y = pdf.get_y()
    for i, role in enumerate(("Le président du jury", "Le secrétaire de séance")):
        pdf.set_xy(16 + i * 92, y)
        pdf.multi_cell(
            86,
            6,
            f"{role}\nNom : ..................................\nSignature :\n\n\n",
            border=1,
            new_x=XPos.RIGHT,
            new_y=YPos.TOP,
        )
    pdf.set_y(y + 36)
    pdf.set_font("DejaVu", "", 7)
    pdf.multi_cell(
        0,
        4,
        f"Document établi le {format_datetime(m.genere_le)} par l'application "
        "des Trophées (classements calculés sur les notes envoyées, jurés récusés "
        "exclus).",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())


# --- XLSX ------------------------------------------------------------------------------


def minutes_xlsx(m: Minutes) -> bytes:
    """The same content as the PDF, one sheet per part (written by ``dashboard.exports``)."""
    head = [("Document", m.titre), ("Séance", format_long_date(m.date_seance))]
    if m.fictif:
        head.insert(0, ("Avertissement", FICTIF))
    head += [("Juré présent", p) for p in m.presents]
    classement = (
        pl.concat(
            [
                p.classement.select(
                    pl.lit(f"Prix {p.category.numero} — {p.category.libelle}").alias("Prix"),
                    pl.all(),
                )
                for p in m.prix
                if not p.classement.is_empty()
            ],
            how="vertical_relaxed",
        )
        if any(not p.classement.is_empty() for p in m.prix)
        else pl.DataFrame(schema={"Prix": pl.String})
    )

    def lines(kind: str, attribute: str) -> list[tuple[str, str, str]]:
        return [
            (f"Prix {p.category.numero} — {p.category.libelle}", kind, line)
            for p in m.prix
            for line in getattr(p, attribute)
        ]

    rows = [
        *lines("Décision", "decisions"),
        *lines("Décision serrée", "serrees"),
        *lines("Règlement d'une décision serrée", "reglement_serrees"),
        *lines("Conflit d'intérêts", "conflits"),
        *lines("Note de délibération", "notes"),
    ]
    return xlsx_workbook(
        {
            "Séance": pl.DataFrame(head, schema=["Rubrique", "Contenu"], orient="row"),
            "Classements": classement,
            "Délibération": pl.DataFrame(rows, schema=["Prix", "Rubrique", "Texte"], orient="row"),
        },
        role=None,
    )
