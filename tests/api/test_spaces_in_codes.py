"""A query the schema refuses is refused, whatever spaces it is made of.

A partner's client reads the schema's patterns as JavaScript does; the API strips text as
Python does. Where the two disagree on what a space is (NEL, the separators, the BOM), a code
made only of such spaces was once taken as empty and answered 200 where the schema says 400.
"""

import pytest

CHECK, ROSTER = "/api/v1/contacts/check/", "/api/v1/recruiters/"


@pytest.mark.parametrize("space", ["\x85", " ", "\u3000", "\x1f", "\ufeff"])
@pytest.mark.parametrize(
    ("url", "params"),
    [
        (CHECK, {"contact": "+40 721 000 111", "country": "{}"}),
        (CHECK, {"contact": "+40 721 000 111", "country": "RO{}"}),
        (CHECK, {"contact": "{}"}),
        (ROSTER, {"country": "{}"}),
        (ROSTER, {"sector": "care{}"}),
        (ROSTER, {"standing": "accredited{}"}),
    ],
)
def test_a_code_of_spaces_or_with_spaces_is_a_bad_request(api, db, url, params, space):
    response = api.get(url, {name: value.format(space) for name, value in params.items()})
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("space", ["\x85", " ", "\u3000"])
def test_a_contact_written_with_spaces_around_it_is_still_checked(api, db, space):
    response = api.get(CHECK, {"contact": f"{space}+40 721 000 111{space}", "country": "RO"})
    assert response.status_code == 200, response.content
    assert response.json()["contact"] == "+40 721 000 111"
