"""The bench's contact-check row draws checks that are all distinct and each gets the answer
the row expects of it (on a small roster: the row itself loads 100,000 recruiters)."""

import pytest

from bench import contacts, data
from iris.models import Recruiter
from iris.recruiters.contact_services import contact_add, contact_check, impostor_add
from tests.iris.factories import RecruiterFactory


def test_each_check_the_row_draws_is_new_and_answered_as_it_expects(db, monkeypatch):
    monkeypatch.setattr(data, "settle", lambda: None)
    monkeypatch.setattr(contacts, "CHECKS", 160)  # 40 of each kind
    monkeypatch.setattr(contacts, "IMPOSTORS", 10)
    # The demo world is loaded before the bench: a recruiter with contacts of its own, and an
    # impostor of its own, which the bench neither extends nor draws checks from.
    demo = RecruiterFactory(state="accredited")
    contact_add(recruiter=demo, kind="phone", value="+44 7700 900123", by=None)
    impostor_add(imitates=demo, kind="web", value="demo-lookalike.example", by=None)
    for _ in range(40):
        RecruiterFactory(state="accredited")
    made, impostors = contacts.ensure_contacts(Recruiter)
    assert (made, impostors) == (121, 11)
    assert contacts.ensure_contacts(Recruiter) == (121, 11)  # a second run adds nothing
    listed, faked = contacts.bench_listed_and_faked(Recruiter)
    assert demo.pk not in listed  # its contacts are its own, not the bench's
    assert (len(listed), len(faked)) == (40, 10)
    checks = contacts.build_checks(listed, faked)
    assert len({tuple(sorted(params.items())) for params, _ in checks}) == len(checks) == 160
    for params, answer in checks:
        got = contact_check(text=params["contact"], region=params.get("country", "GB"))
        assert got.answer == answer, params


@pytest.mark.parametrize("pk", [1, 99_999, 100_000])
def test_a_bench_number_is_a_romanian_mobile_the_check_reads(pk):
    from iris.recruiters.contact_keys import phone_key

    assert phone_key("0" + contacts._phone(pk), "RO") == f"phone:+40{contacts._phone(pk)}"
