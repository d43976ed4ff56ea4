"""One reading of an accreditation number, whichever way a person writes it."""

from hypothesis import given
from hypothesis import strategies as st

from iris.recruiters.models import accreditation_number_normalise

SEPARATORS = st.sampled_from(["", " ", "  ", "-", "–", "—", "−", "\u00a0", ".", " - ", "/"])


@given(
    number=st.integers(min_value=1, max_value=999_999),
    series=st.sampled_from(["A", "S"]),
    upper=st.booleans(),
    padded=st.booleans(),
    before=st.sampled_from(["", " ", "  "]),
    between=st.tuples(SEPARATORS, SEPARATORS),
    after=st.sampled_from(["", " ", "."]),
)
def test_every_way_of_writing_a_number_reads_as_the_number(
    number, series, upper, padded, before, between, after
):
    digits = f"{number:06d}" if padded else str(number)
    typed = f"{before}IRIS{between[0]}{series}{between[1]}{digits}{after}"
    typed = typed if upper else typed.lower()
    assert accreditation_number_normalise(typed) == f"IRIS-{series}-{number:06d}"


@given(number=st.integers(min_value=1, max_value=999_999), separator=SEPARATORS)
def test_the_number_alone_is_series_a(number, separator):
    assert accreditation_number_normalise(f"{separator}{number:06d}") == f"IRIS-A-{number:06d}"


@given(st.text(max_size=40))
def test_it_never_fails_and_reads_only_a_number(text):
    read = accreditation_number_normalise(text)
    assert read is None or read.startswith("IRIS-")


def test_what_is_not_a_number_is_not_read_as_one():
    for text in ["", "Harvest Fields Labour", "IRIS", "IRIS-AB-000001", "Agency 24", "-"]:
        assert accreditation_number_normalise(text) is None, text


def test_a_longer_series_keeps_its_digits():
    assert accreditation_number_normalise("iris s 0000001") == "IRIS-S-0000001"
