"""The contact check's normalisers: a contact written any way a person writes it is one key,
and a look-alike is never the contact it imitates."""

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iris.recruiters.contact_keys import contact_guess, phone_key, web_key

# A mobile number's national significant digits in each return country and the UK, with the
# prefix written before them at home: (region, calling code, trunk prefix, first digits).
MOBILES = [
    ("BG", "359", "0", "88"),
    ("CZ", "420", "", "60"),
    ("HU", "36", "06", "20"),
    ("RO", "40", "0", "72"),
    ("GB", "44", "0", "77"),
]
LENGTHS = {"BG": 7, "CZ": 7, "HU": 7, "RO": 7, "GB": 8}


@st.composite
def written_numbers(draw):
    """One number, written the ways people write it: international with + or 00, and local."""
    region, code, trunk, first = draw(st.sampled_from(MOBILES))
    rest = draw(st.text("0123456789", min_size=LENGTHS[region], max_size=LENGTHS[region]))
    national = first + rest
    spaced = " ".join(national[i : i + 3] for i in range(0, len(national), 3))
    sep = draw(st.sampled_from([" ", "-", ".", ""]))
    written = [
        f"+{code} {spaced}",
        f"00{code}{national}",
        f"+{code}{sep}{national}",
        f"{trunk}{spaced}",
        f"({trunk}{national[:3]}) {national[3:]}",
    ]
    return region, code, national, written


@given(written_numbers())
def test_a_number_written_any_way_is_one_e164_key(number):
    region, code, national, written = number
    expected = phone_key(f"+{code}{national}", region)
    assert expected == f"phone:+{code}{national}"
    for text in written:
        assert phone_key(text, region) == expected, text
        # The check's one box reads it the same.
        assert contact_guess(text, region) == expected, text


@given(written_numbers(), st.sampled_from(["BG", "CZ", "HU", "RO", "GB"]))
def test_an_international_number_is_the_same_whatever_country_the_reader_chose(number, chosen):
    region, code, national, _ = number
    assert phone_key(f"+{code} {national}", chosen) == f"phone:+{code}{national}"


@pytest.mark.parametrize(
    "text", ["", "12", "hello", "+40 72", "1" * 41, "+44 7700 900 123 ext. 5 and more words"]
)
def test_what_is_not_a_phone_number_has_no_phone_key(text):
    assert phone_key(text, "RO") is None


LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=3, max_size=12).filter(
    lambda s: not s.isdigit()
)
SUFFIXES = ["ro", "bg", "cz", "hu", "co.uk", "org.uk", "com", "example"]


@st.composite
def domains(draw):
    return f"{draw(LABEL)}-{draw(LABEL)}.{draw(st.sampled_from(SUFFIXES))}"


@given(
    domains(),
    st.lists(LABEL, max_size=3),
    st.sampled_from(["", "http://", "https://", "HTTPS://"]),
    st.sampled_from(["", "/", "/jobs", "/jobs/uk?ref=fb#apply"]),
    st.booleans(),
)
def test_a_web_address_is_its_registrable_domain(domain, subdomains, scheme, path, www):
    host = ".".join([*(["www"] if www else []), *subdomains, domain])
    assert web_key(f"{scheme}{host}{path}") == f"web:{domain}"
    assert contact_guess(f"{scheme}{host.upper()}{path}") == f"web:{domain}"
    # An email address at the recruiter's own domain is the same contact.
    assert web_key(f"Jobs.Office@{host}") == f"web:{domain}"


@given(domains(), st.sampled_from(["example.com", "jobs-uk.net", "work-abroad.example"]))
def test_a_look_alike_ending_in_another_domain_is_that_other_domain(domain, tail):
    look_alike = f"https://{domain}.{tail}/apply"
    assert web_key(look_alike) == f"web:{tail}"
    assert web_key(look_alike) != f"web:{domain}"


@given(domains(), st.sampled_from(["co.uk", "com.ro", "org"]))
def test_a_look_alike_under_a_public_suffix_is_not_the_domain(domain, suffix):
    assert web_key(f"{domain}.{suffix}") not in (None, f"web:{domain}")


@given(st.sampled_from(["münchen", "bucurești", "софия", "kraków"]), st.sampled_from(SUFFIXES))
def test_an_international_domain_is_the_same_in_punycode_and_in_its_own_letters(name, suffix):
    unicode_host = f"jobs.{name}-work.{suffix}"
    ascii_host = unicode_host.encode("idna").decode("ascii")
    assert web_key(f"https://{unicode_host}/") == web_key(f"https://{ascii_host}/")
    assert web_key(f"https://{ascii_host}/").startswith("web:xn--")


def test_a_shared_mail_address_is_kept_whole_and_a_page_on_a_social_site_is_its_page():
    assert web_key("Agency.X.Jobs@gmail.com") == "email:agency.x.jobs@gmail.com"
    assert web_key("someone.else@gmail.com") != web_key("agency.x.jobs@gmail.com")
    assert web_key("https://m.facebook.com/AgencyX/posts/123") == "social:facebook.com/agencyx"
    assert web_key("fb.com/agencyx") == "social:facebook.com/agencyx"
    assert web_key("https://www.linkedin.com/company/agency-x/") == (
        "social:linkedin.com/company/agency-x"
    )
    assert web_key("https://www.facebook.com/") is None


def test_a_chat_link_is_the_phone_number_it_opens():
    assert web_key("https://wa.me/40721000111") == "phone:+40721000111"
    assert contact_guess("wa.me/40721000111", "GB") == phone_key("0721 000 111", "RO")


def test_the_issues_own_examples():
    assert {phone_key(n, "RO") for n in ["+40 721 000 111", "0040721000111", "0721 000 111"]} == {
        "phone:+40721000111"
    }
    assert web_key("jobs.agency-x.ro") == web_key("agency-x.ro") == "web:agency-x.ro"
    assert web_key("agency-x.ro.example.com") == "web:example.com"


def test_a_name_is_not_a_contact():
    assert contact_guess("Ion Popescu") is None
    assert contact_guess("Agency X S.R.L. Bucharest") is None


def test_phonenumbers_reads_every_region_the_check_offers():
    for region, code, _, _ in MOBILES:
        assert phonenumbers.country_code_for_region(region) == int(code)
