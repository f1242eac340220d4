"""The ceremony slide deck (PPTX, 16:9) with python-pptx.

Order: a title slide, the edition's key figures, then for each prize in the order of the
edition's configuration, one slide for the prize followed by one slide per laureate.
Under embargo (:mod:`dashboard.press.embargo`) the laureate slides are left out and each
prize slide says when its laureate will be announced.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from dashboard.press.cards import card_alt_text
from dashboard.press.embargo import Embargo
from dashboard.press.figures import ChiffreCle
from dashboard.press.laureates import Laureat
from etl.editions.model import Edition
from etl.french import format_date, plural


def _rgb(hexa: str) -> RGBColor:
    """A colour from ``"0B2E4F"`` (python-pptx's constructor has no type hints)."""
    color: RGBColor = RGBColor.from_string(hexa)  # type: ignore[no-untyped-call]
    return color


LARGEUR = Inches(13.333)
HAUTEUR = Inches(7.5)
BLEU_NUIT = _rgb("0B2E4F")
ACCENT = _rgb("E69F00")
BLEU = _rgb("0072B2")
GRIS = _rgb("4D4D4D")
BLANC = _rgb("FFFFFF")


def _text(
    slide: Slide,
    text: str,
    left: float,
    top: float,
    width: float,
    height: float,
    size: int,
    color: RGBColor = BLEU_NUIT,
    bold: bool = False,
) -> None:
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = color


def _band(slide: Slide, color: RGBColor = BLEU_NUIT, height: float = 1.0) -> None:
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(0), Emu(0), LARGEUR, Inches(height))
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    shape.line.fill.background()


def ceremony_deck(
    edition: Edition,
    embargo: Embargo,
    chiffres: Sequence[ChiffreCle],
    laureats: Sequence[Laureat],
    candidatures_par_prix: Mapping[str, int],
    cartes_png: Mapping[str, bytes],
    fictif: bool = False,
) -> bytes:
    """The deck as PPTX bytes. ``cartes_png``: landscape card of each laureate, by id."""
    deck = Presentation()
    deck.slide_width = LARGEUR
    deck.slide_height = HAUTEUR
    blank = deck.slide_layouts[6]

    slide = deck.slides.add_slide(blank)
    _band(slide, height=7.5)
    _text(slide, edition.nom, 0.8, 2.2, 11.7, 1.4, 40, BLANC, bold=True)
    ceremonie = f"Cérémonie de remise des prix — {format_date(embargo.ceremonie)}"
    if edition.calendrier.ceremonie_lieu:
        ceremonie += f", {edition.calendrier.ceremonie_lieu}"
    _text(slide, ceremonie, 0.8, 3.8, 11.7, 0.8, 24, ACCENT)
    organisateur = edition.organisateur or "Alliance Villes Emploi"
    _text(slide, organisateur, 0.8, 4.6, 11.7, 0.6, 18, BLANC)
    if fictif:
        _text(slide, "Données fictives de démonstration", 0.8, 6.5, 11.7, 0.5, 14, BLANC)

    slide = deck.slides.add_slide(blank)
    _band(slide)
    _text(slide, f"L'édition {edition.annee} en chiffres", 0.6, 0.2, 12, 0.7, 28, BLANC, True)
    shown = [c for c in chiffres if c.valeur is not None][:6]
    for i, chiffre in enumerate(shown):
        left, top = 0.6 + (i % 3) * 4.2, 1.5 + (i // 3) * 2.6
        _text(slide, chiffre.texte, left, top, 4.0, 0.9, 32, BLEU, bold=True)
        _text(slide, chiffre.libelle, left, top + 0.9, 4.0, 0.9, 16, GRIS)
    source = shown[0].source if shown else ""
    _text(
        slide, f"Source : {source} ({shown[0].date if shown else ''})", 0.6, 6.8, 12, 0.5, 11, GRIS
    )

    by_category: dict[str, list[Laureat]] = {}
    for laureat in laureats if embargo.leve else []:
        by_category.setdefault(laureat.categorie_code, []).append(laureat)
    for categorie in edition.categories:
        slide = deck.slides.add_slide(blank)
        _band(slide, ACCENT, 1.0)
        _text(slide, f"Prix n° {categorie.numero}", 0.6, 0.2, 12, 0.7, 28, BLEU_NUIT, True)
        _text(slide, categorie.libelle, 0.6, 1.4, 12, 1.6, 32, BLEU_NUIT, bold=True)
        _text(slide, categorie.description, 0.6, 3.2, 12, 2.2, 18, GRIS)
        n = candidatures_par_prix.get(categorie.code)
        if n is not None:
            _text(slide, plural(n, "candidature"), 0.6, 5.6, 12, 0.6, 20, BLEU, True)
        if not embargo.leve:
            annonce = f"Lauréat annoncé lors de la cérémonie du {format_date(embargo.ceremonie)}"
            _text(slide, annonce, 0.6, 6.4, 12, 0.6, 16, GRIS)
        for laureat in by_category.get(categorie.code, []):
            slide = deck.slides.add_slide(blank)
            png = cartes_png.get(laureat.candidature_id)
            if png is not None:
                picture = slide.shapes.add_picture(io.BytesIO(png), Emu(0), Emu(0), width=LARGEUR)
                picture.name = f"Carte {laureat.candidature_id}"
                # the slide's image gets the card's French alternative text
                picture._element.nvPicPr.cNvPr.set("descr", card_alt_text(laureat, fictif))
            else:
                _text(slide, laureat.structure, 0.6, 2.0, 12, 1.5, 36, BLEU_NUIT, True)
                _text(slide, laureat.territoire, 0.6, 3.6, 12, 0.8, 20, GRIS)
            if laureat.projet_titre:
                _text(slide, laureat.projet_titre[:200], 0.6, 6.9, 12, 0.5, 14, GRIS)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
