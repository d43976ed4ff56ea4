"""A sentence that ends with a name or a date that ends in a full stop ("Košice s.r.o.",
"2026. december 15.", "15 декември 2026 г.") keeps one full stop, not two."""

import re

# Two full stops together, never part of an ellipsis.
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


def one_full_stop(text: str) -> str:
    return _DOUBLE_STOP.sub(".", text)
