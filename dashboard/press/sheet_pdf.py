"""One-page laureate sheet (PDF, A4 portrait) with fpdf2.

Fonts: DejaVu Sans (Debian package ``fonts-dejavu-core``), which has every French letter
and the narrow no-break space (U+202F) of French numbers. The page never breaks: long
texts are shortened so that the sheet always fits on one page.
"""

from __future__ import annotations

import io
from datetime import date

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from dashboard.exports.fonts import BOLD, REGULAR, check_fonts
from dashboard.press.laureates import Laureat
from etl.french import format_date

TITRE_MAX = 300
"""Characters of the project title kept on the sheet (the rest is cut with « … »)."""

BLEU_NUIT = (11, 46, 79)
ACCENT = (230, 159, 0)
BLEU = (0, 114, 178)
GRIS = (77, 77, 77)


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def sheet_pdf(
    laureat: Laureat,
    minimap_png: bytes | None,
    *,
    sources: str,
    genere_le: date,
    fictif: bool = False,
    mises_en_avant: tuple[str, ...] = (),
) -> bytes:
    """The one-page sheet of a laureate: prize, structure, territory, project, figures,
    mini-map, highlights and sources."""
    check_fonts()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(18, 16, 18)
    pdf.add_font("DejaVu", "", str(REGULAR))
    pdf.add_font("DejaVu", "B", str(BOLD))
    pdf.set_title(f"Lauréat {laureat.edition} — {laureat.categorie_libelle}")
    pdf.set_creator("Trophées ASR — dossier de presse")
    pdf.add_page()
    largeur = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_fill_color(*BLEU_NUIT)
    pdf.rect(0, 0, pdf.w, 24, style="F")
    pdf.set_xy(pdf.l_margin, 8)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(largeur * 0.8, 8, laureat.edition_nom)
    pdf.set_text_color(*ACCENT)
    pdf.cell(largeur * 0.2, 8, "LAURÉAT", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.set_y(32)
    pdf.set_text_color(*ACCENT)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(
        largeur,
        6,
        f"Prix n° {laureat.categorie_numero} — {laureat.categorie_libelle}",
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(3)
    pdf.set_text_color(*BLEU_NUIT)
    pdf.set_font("DejaVu", "B", 20)
    pdf.multi_cell(
        largeur,
        9,
        _shortened(laureat.structure, 160),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font("DejaVu", "", 12)
    pdf.set_text_color(*GRIS)
    pdf.multi_cell(largeur, 6, laureat.territoire, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    haut = pdf.get_y()
    texte_largeur = largeur * 0.55
    if laureat.projet_titre:
        pdf.set_text_color(*BLEU_NUIT)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(
            texte_largeur, 6, "Le projet", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(
            texte_largeur,
            5.5,
            _shortened(laureat.projet_titre, TITRE_MAX),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(4)
    for chiffre in laureat.chiffres:
        pdf.set_text_color(*BLEU)
        pdf.set_font("DejaVu", "B", 20)
        pdf.multi_cell(
            texte_largeur, 9, chiffre.texte, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_text_color(*GRIS)
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(
            texte_largeur, 5, chiffre.libelle, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.ln(2)
    bas_texte = pdf.get_y()
    if minimap_png is not None:
        pdf.image(io.BytesIO(minimap_png), x=pdf.l_margin + largeur * 0.6, y=haut, w=largeur * 0.4)

    pdf.set_y(max(bas_texte, haut + 60) + 4)
    for texte in mises_en_avant[:3]:
        pdf.set_text_color(*BLEU_NUIT)
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(
            largeur,
            5.5,
            f"« {_shortened(texte, 280)} »",
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(2)

    pdf.set_y(pdf.h - 34)
    pdf.set_draw_color(*ACCENT)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)
    pdf.set_text_color(*GRIS)
    pdf.set_font("DejaVu", "", 8)
    pied = f"Sources : {sources}. Fiche générée le {format_date(genere_le)}."
    if fictif:
        pied += " DONNÉES FICTIVES de démonstration."
    pdf.multi_cell(
        largeur, 4, _shortened(pied, 600), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    return bytes(pdf.output())


def sheet_file_name(laureat: Laureat) -> str:
    return f"fiche-{laureat.categorie_code}-{laureat.candidature_id}.pdf"
