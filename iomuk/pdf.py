"""The portal's PDFs (the CPD certificate, the subject access report) start here: one font set-up
for every language the portal speaks, and text that a screen reader can read in order, as
headings and paragraphs.

The font ships in iomuk/fonts (DejaVu, under its own free licence, see the LICENSE there): it
covers every name the portal takes, "Ștefan", "Řehoř", "Győző" and "Петров" alike, on any
machine."""

from contextlib import contextmanager
from pathlib import Path

from fpdf import FPDF, ViewerPreferences

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"


def pdf_start(*, title: str, language: str, orientation: str = "portrait") -> FPDF:
    """An A4 document with its title (shown as the window's title) and language set, the
    portal's font loaded and selected, and its first page added. Write its text with `write`,
    so that every word is tagged."""
    pdf = FPDF(orientation=orientation, format="A4")
    pdf.set_title(title)
    pdf.set_lang(language)
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.add_page()
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_font(FONT, "", 11)
    return pdf


@contextmanager
def _tagged(pdf: FPDF, role: str):
    """What is drawn inside is one structure element ("H1", "P"…) of the document, on the
    current page. fpdf2 2.8.9 tags images and outline sections itself, through these same two
    calls, but has no public way to tag text; tests/iomuk/test_pdf.py reads the tags back, so a
    change in fpdf2 fails there."""
    mcid = pdf.struct_builder.next_mcid_for_page(pdf.page)
    pdf._add_marked_content(struct_type=f"/{role}", mcid=mcid)
    pdf._out(f"/{role} <</MCID {mcid}>> BDC")
    yield
    pdf._out("EMC")


def write(pdf: FPDF, text: str, *, role: str = "P", h: float, w: float = 0, align: str = "L"):
    """A paragraph or heading, wrapped to the width, tagged with its role, continued on a new
    page when it does not fit (each page's part is an element of its own: a tagged sequence
    cannot cross a page). Ends at the left margin of the next line."""
    x = pdf.get_x()
    lines = pdf.multi_cell(w, h, text, align=align, dry_run=True, output="LINES")
    while lines:
        if pdf.will_page_break(h):
            pdf.add_page()
            pdf.set_x(x)
        fit = max(1, int((pdf.page_break_trigger - pdf.get_y()) // h))
        with _tagged(pdf, role):
            pdf.multi_cell(w, h, "\n".join(lines[:fit]), align=align, new_x="LMARGIN", new_y="NEXT")
        lines = lines[fit:]
