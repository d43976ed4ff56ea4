"""The portal's PDFs are tagged: a screen reader finds every word, as headings and paragraphs, in
reading order, in the document's language."""

import io

from pypdf import PdfReader

from iomuk.pdf import pdf_start, write
from tests.pdfs import read_tags


def test_a_paragraph_longer_than_a_page_is_tagged_on_every_page_it_reaches():
    pdf = pdf_start(title="Notes", language="hu")
    write(pdf, "Jegyzetek", role="H1", h=10)
    words = [f"szó{n}" for n in range(2500)]
    write(pdf, " ".join(words), h=6)
    data = bytes(pdf.output())

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    tags = read_tags(data)
    assert tags.roles == ["/H1"] + ["/P"] * len(reader.pages)  # one part of it a page
    assert tags.untagged == 0
    assert tags.unmatched == set()
    assert (tags.marked, tags.language, tags.shows_title) == (True, "hu", True)
    # Nothing is lost or repeated where the paragraph is cut.
    text = " ".join(page.extract_text() for page in reader.pages).split()
    assert text == ["Jegyzetek", *words]
