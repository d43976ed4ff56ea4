"""Reading a PDF's tags back, as a screen reader would find them."""

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream

SHOWS_TEXT = {b"Tj", b"TJ", b"'", b'"'}


@dataclass
class Tags:
    roles: list[str]  # each structure element's role, in reading order ("/H1", "/P"…)
    untagged: int  # text drawn outside any tagged sequence: a screen reader skips it
    unmatched: set  # (page, MCID) in a page or in the tree but not in both
    marked: bool  # the catalogue says the document is tagged
    language: str
    shows_title: bool  # the viewer's window shows the title, not the file name


def read_tags(data: bytes) -> Tags:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    drawn, untagged = set(), 0
    for number, page in enumerate(reader.pages):
        depth = 0
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"BDC":
                depth += 1
                drawn.add((number, operands[1]["/MCID"]))
            elif operator == b"BMC":
                depth += 1
            elif operator == b"EMC":
                depth -= 1
            elif operator in SHOWS_TEXT and depth == 0:
                untagged += 1
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    tree = root.get("/StructTreeRoot")
    elements = tree["/K"][0].get_object()["/K"] if tree else []
    roles, in_tree = [], set()
    for element in (e.get_object() for e in elements):
        roles.append(element["/S"])
        for mcid in element["/K"]:
            in_tree.add((page_numbers[element.raw_get("/Pg").idnum], mcid))
    return Tags(
        roles=roles,
        untagged=untagged,
        unmatched=drawn ^ in_tree,
        marked=bool(root.get("/MarkInfo", {}).get("/Marked")),
        language=str(root.get("/Lang", "")),
        shows_title=bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
    )
