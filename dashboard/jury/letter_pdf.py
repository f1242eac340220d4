"""A feedback letter as a French PDF (A4, fpdf2, DejaVu Sans like the press sheets).

The letter thanks the candidate, gives the outcome of each prize it applied to, its result
per criterion against the prize's median (aggregated, see :mod:`dashboard.jury.letters`),
the comments the admin shared, and ends with the organiser's signature block. Long letters
flow onto a second page; every text is plain text (fpdf2 interprets no markup unless asked).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from pypdf import PdfReader, PdfWriter

from dashboard.exports.fonts import BOLD, REGULAR, PoliceAbsente
from dashboard.jury.letters import Letter, PrizeOutcome
from dashboard.press.sheet_pdf import ACCENT, BLEU_NUIT, GRIS
from etl.editions.model import Edition
from etl.french import agree, format_decimal, format_long_date, plural

MOTIF_MAX = 400


def _score(value: float | None) -> str:
    return "—" if value is None else format_decimal(value, 1)


TEXT = (26, 26, 26)


class _LetterPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(*GRIS)
        self.cell(0, 5, self.footer_text, align="C")

    @property
    def width(self) -> float:
        return float(self.w - self.l_margin - self.r_margin)

    def para(
        self,
        content: str,
        size: float = 10.5,
        bold: bool = False,
        color: tuple[int, int, int] = TEXT,
        height: float = 5.5,
    ) -> None:
        """A paragraph of plain text across the page."""
        self.set_font("DejaVu", "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(self.width, height, content, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _document(edition: Edition, fictif: bool) -> _LetterPDF:
    if not REGULAR.exists() or not BOLD.exists():
        raise PoliceAbsente(
            f"Police DejaVu introuvable ({REGULAR}) : installez le paquet Debian "
            "« fonts-dejavu-core »."
        )
    pdf = _LetterPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_margins(20, 18, 20)
    pdf.add_font("DejaVu", "", str(REGULAR))
    pdf.add_font("DejaVu", "B", str(BOLD))
    organiser = edition.organisateur or "Alliance Villes Emploi"
    pdf.footer_text = f"{organiser} — {edition.nom}" + (
        " — DONNÉES FICTIVES de démonstration" if fictif else ""
    )
    pdf.set_creator("Trophées ASR — lettres aux candidats")
    return pdf


def letters_pdf(
    letters: Sequence[Letter], edition: Edition, *, day: date, fictif: bool
) -> tuple[bytes, dict[str, bytes]]:
    """Every letter in one PDF (to print them all) and each letter as its own PDF.

    One document is drawn and written once — fpdf2 parses and subsets the fonts once, not
    a hundred times — then split page range by page range (pypdf).
    """
    pdf = _document(edition, fictif)
    pdf.set_title(f"{edition.nom} — lettres aux candidats")
    ranges: dict[str, tuple[int, int]] = {}
    for letter in letters:
        first = pdf.page_no()
        _draw(pdf, letter, edition, day=day, fictif=fictif)
        ranges[letter.file_name] = (first, pdf.page_no())
    whole = bytes(pdf.output())
    reader = PdfReader(io.BytesIO(whole))
    parts: dict[str, bytes] = {}
    for name, (first, last) in ranges.items():
        writer = PdfWriter()
        for index in range(first, last):  # page_no() counts from 1: ``first`` is 0-based here
            writer.add_page(reader.pages[index])
        writer.add_metadata({"/Title": f"{edition.nom} — lettre", "/Creator": pdf.creator})
        out = io.BytesIO()
        writer.write(out)
        parts[name] = out.getvalue()
    return whole, parts


def letter_pdf(letter: Letter, edition: Edition, *, day: date, fictif: bool) -> bytes:
    """The PDF of one letter alone."""
    pdf = _document(edition, fictif)
    pdf.set_title(f"{edition.nom} — lettre à {letter.structure}")
    _draw(pdf, letter, edition, day=day, fictif=fictif)
    return bytes(pdf.output())


def _draw(
    pdf: _LetterPDF,
    letter: Letter,
    edition: Edition,
    *,
    day: date,
    fictif: bool,
    signataire: str | None = None,
) -> None:
    """One letter, from a new page."""
    organiser = edition.organisateur or "Alliance Villes Emploi"
    pdf.add_page()
    text = pdf.para
    text(organiser, 12, bold=True, color=BLEU_NUIT)
    text(edition.nom, 10, color=GRIS)
    pdf.ln(6)
    if fictif:
        text(
            "DONNÉES FICTIVES de démonstration : cette lettre ne s'adresse à personne.",
            10,
            True,
            ACCENT,
        )
        pdf.ln(2)
    text(f"Le {format_long_date(day)}", 10, color=GRIS)
    pdf.ln(4)
    text(f"À l'attention de : {letter.structure}", 11, bold=True)
    if letter.projet:
        text(f"Projet : {letter.projet}", 10.5)
    pdf.ln(4)
    text(f"Objet : votre candidature aux {edition.nom}", 11, bold=True)
    pdf.ln(3)
    text("Madame, Monsieur,")
    pdf.ln(2)
    crowned = [p for p in letter.prix if p.resultat == "Lauréate"]
    if crowned:
        prizes = ", ".join(f"n° {p.numero}" for p in crowned)
        text(
            f"Nous avons le plaisir de vous confirmer que votre candidature est lauréate "
            f"(prix {prizes}). Toutes nos félicitations !",
            10.5,
            bold=True,
        )
        pdf.ln(2)
    text(
        f"Nous vous remercions pour votre candidature aux {edition.nom} et pour le travail "
        "qu'a demandé la constitution de votre dossier. Le jury a examiné chaque candidature "
        "au regard des critères publiés dans l'appel à candidatures. Voici ce qu'il a retenu "
        "pour la vôtre."
    )
    for prize in letter.prix:
        _prize(pdf, prize)
    pdf.ln(4)
    text(
        "Les résultats par critère sont des moyennes des notes du jury, comparées à la "
        "médiane des candidatures du même prix ; aucune note individuelle de juré n'est "
        "communiquée. Nous espérons que ces éléments vous seront utiles, et que vous "
        "présenterez de nouveau vos projets lors d'une prochaine édition."
    )
    pdf.ln(3)
    text("Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées.")
    pdf.ln(8)
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    text(f"Pour {organiser},", 10.5)
    text(signataire or "La présidence du jury", 10.5, bold=True)
    pdf.ln(2)
    text("Signature :", 10, color=GRIS)
    pdf.ln(18)


def _prize(pdf: _LetterPDF, prize: PrizeOutcome) -> None:
    pdf.ln(5)
    pdf.para(f"Prix n° {prize.numero} — {prize.libelle}", 11, True, BLEU_NUIT)
    result = f"Résultat : {prize.resultat}"
    if prize.motif:
        motif = prize.motif
        result += f" ({motif if len(motif) <= MOTIF_MAX else motif[: MOTIF_MAX - 1] + '…'})"
    pdf.para(result, 10.5, True)
    if prize.resultat == "Non éligible":
        return
    if not any(c.moyenne is not None for c in prize.criteres):
        pdf.para(
            f"{plural(prize.nb_notes, 'note')} de juré : le résultat par critère n'est "
            "communiqué qu'à partir de deux notes.",
            10,
            color=GRIS,
        )
    else:
        _criteria_table(pdf, prize)
    if prize.commentaires:
        pdf.ln(1)
        pdf.para("Ce que le jury a souhaité vous dire :", 10, True)
        for comment in prize.commentaires:
            pdf.para(f"« {comment} »", 10)


def _criteria_table(pdf: _LetterPDF, prize: PrizeOutcome) -> None:
    pdf.ln(1)
    pdf.set_font("DejaVu", "", 9)
    pdf.set_text_color(*TEXT)
    with pdf.table(
        col_widths=(55, 11, 17, 17),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=4.8,
        first_row_as_headings=True,
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", color=BLEU_NUIT),
    ) as table:
        for cells in (
            ("Critère", "Poids", "Votre résultat", "Médiane du prix"),
            *(
                (c.libelle, f"{c.poids} %", _score(c.moyenne), _score(c.mediane_prix))
                for c in prize.criteres
            ),
        ):
            row = table.row()
            for value in cells:
                row.cell(value)
    pdf.para(
        f"Notes de {prize.note_min} à {prize.note_max} ; {plural(prize.nb_notes, 'juré')} "
        f"{agree(prize.nb_notes, 'a', 'ont')} noté votre candidature pour ce prix.",
        8.5,
        color=GRIS,
    )
