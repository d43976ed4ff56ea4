"""Every code the portal makes for people to read out or type: booking and request references,
certificate codes, complaint references and tracking codes.

One alphabet with no look-alikes (no 0/O, 1/I/L), so a code read over the phone is not
misheard. A code that must be unique gets a bounded number of tries: a clash is rare (31**6
six-character codes), and if the tries run out the person is asked to try again, rather than
the page failing or spinning."""

from collections.abc import Callable
from secrets import choice

from django.utils.translation import gettext as _

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ATTEMPTS = 10
SLOT = "#"


def code_random(pattern: str) -> str:
    """`pattern` with each # replaced by a random character of ALPHABET: "TR-######"."""
    return "".join(choice(ALPHABET) if ch == SLOT else ch for ch in pattern)


def code_unique(pattern: str, *, taken: Callable[[str], bool], error: type[Exception]) -> str:
    """A code made from `pattern` that is not `taken`; after ATTEMPTS clashes in a row, raises
    `error` (the caller's own error type) with a message fit to show the person."""
    for _attempt in range(ATTEMPTS):
        code = code_random(pattern)
        if not taken(code):
            return code
    raise error(_("We could not finish this just now. Please try again."))
