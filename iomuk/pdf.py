"""The portal's PDFs (the CPD certificate, the subject access report) start here: one font set-up
for every language the portal speaks.

The font ships in iomuk/fonts (DejaVu, under its own free licence, see the LICENSE there): it
covers every name the portal takes, "Ștefan", "Řehoř", "Győző" and "Петров" alike, on any
machine."""

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"


def pdf_start(*, title: str, language: str, orientation: str = "portrait") -> FPDF:
    """An A4 document with its title and language set (a screen reader reads it in that
    language; fpdf2 tags images and outline sections only, the text itself stays untagged),
    the portal's font loaded and selected, and its first page added."""
    pdf = FPDF(orientation=orientation, format="A4")
    pdf.set_title(title)
    pdf.set_lang(language)
    pdf.add_page()
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_font(FONT, "", 11)
    return pdf
