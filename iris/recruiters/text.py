"""The text rules the roster reads by: names as the search compares them, languages as their
speakers write them, accreditation numbers however they are typed."""

import re
import unicodedata

from django.utils.translation import get_language_info


def normalise_name(text: str) -> str:
    """Lower-case, accents stripped, punctuation collapsed: "Munkaerő Kft." -> "munkaero kft"."""
    # ł and đ do not decompose under NFKD; map the few that matter by hand.
    text = text.lower().translate(str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "ss"}))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def language_in_its_own_words(code: str) -> str:
    """A language as its speakers write it ("Magyar", not "Hungarian"), so they can find it."""
    if code.startswith("en"):
        return "English"
    if code == "cs":
        return "Čeština"  # Django's own name for it is the adverb "česky"
    try:
        name = get_language_info(code)["name_local"]
    except KeyError:
        return code
    return name[:1].upper() + name[1:]


# An accreditation number as a person may write it, once its spaces, dashes and dots are gone:
# "IRIS", the series letter and the digits, any of the first two left out.
_ACCREDITATION_NUMBER = re.compile(r"(?:IRIS)?([A-Z])?([0-9]{1,9})")


def accreditation_number_normalise(text: str) -> str | None:
    """The number as issued ("IRIS-A-000001") from any way of writing it ("iris a 1",
    "IRISA000001", "IRIS–A–000001", "000001"); None if the text is not a number.

    Case, accents, full-width characters and every separator are set aside (other forms of
    digits, as "¼" or "①", make the text no number); a number given without its series is in
    series A, and its digits are padded to six as issued.
    """
    text = text[:100]
    # Compatibility forms of digits would otherwise become numbers: "¼" 14, "①" 1, "²" 2.
    # Only ASCII digits and their full-width forms (what some keyboards type) are digits.
    if any(ch.isnumeric() and not ("0" <= ch <= "9" or "０" <= ch <= "９") for ch in text):
        return None
    letters = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in letters if ch.isascii() and ch.isalnum()).upper()
    match = _ACCREDITATION_NUMBER.fullmatch(bare)
    if match is None:
        return None
    series, digits = match.group(1) or "A", match.group(2)
    return f"IRIS-{series}-{digits.zfill(6)}"


# A word typed shorter than this is not forgiven a slip: too many words are one slip from it.
FORGIVEN_LENGTH = 4


def one_letter_out(word: str) -> set[str]:
    """The word and every spelling of it with one letter left out: "care" -> care, are, cre..."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}
