"""A complaint names its recruiter the way the person knows it: the name as the roster shows it
(or part of it, misspelt, without its accents), its number written any way, or its page address.
A report is never turned away because the recruiter cannot be found."""

import re

import pytest
from django.urls import reverse

from iris.complaints import services as complaints
from iris.models import Complaint

from ..factories import RecruiterFactory, country

URL = reverse("iris:complaint-new")


@pytest.fixture
def chisinau(db):
    return RecruiterFactory(
        legal_name="Chişinău Work Abroad SRL",
        hq_country=country("MD"),
        accreditation_number="IRIS-A-000017",
    )


@pytest.fixture
def others(db):
    return [
        RecruiterFactory(legal_name="Agencja Pracy Wrocław Sp. z o.o."),
        RecruiterFactory(legal_name="Harvest Fields Labour Ltd"),
    ]


def token_from(client, **params):
    page = client.get(URL, params).content.decode()
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def report(client, recruiter_ref, **overrides):
    data = {
        "token": token_from(client),
        "about": "listed",
        "recruiter_ref": recruiter_ref,
        "categories": ["fees"],
        "happened_when": "March 2026",
        "description": "They took 900 euros and my passport.",
        "email": "ion@example.org",
        "preferred_language": "ro",
    }
    data.update(overrides)
    return client.post(URL, data, follow=True)


@pytest.mark.parametrize(
    "typed",
    [
        "Chişinău Work Abroad SRL",  # as the roster shows it
        "Chisinau Work Abroad SRL",  # without its accents
        "chisinau work abroad srl",
        "Chişinău Work",  # part of it
        "Work Abroad",
        "Chisinau Wrok Abroad",  # misspelt
        "Chisinua",
        "  Chişinău   Work Abroad SRL ",
    ],
)
def test_a_listed_recruiter_is_found_by_its_name_as_a_person_types_it(
    client, chisinau, others, typed
):
    response = report(client, typed)
    assert "Report received" in response.content.decode(), typed
    complaint = Complaint.objects.get()
    assert complaint.recruiter == chisinau
    assert complaint.recruiter_name_given == " ".join(typed.split())
    assert not complaint.needs_matching


@pytest.mark.parametrize(
    "typed",
    [
        "IRIS-A-000017",
        "iris a 000017",
        "IRISA000017",
        "000017",
        "IRIS–A–000017",
        "/iris/recruiters/{slug}/",
        "https://portal.example/iris/recruiters/{slug}/",
        "https://portal.example/iris/recruiters/{slug}/proof/?from=email",
        "iris/recruiters/{slug}",
    ],
)
def test_a_listed_recruiter_is_found_by_its_number_or_page_address(client, chisinau, others, typed):
    response = report(client, typed.format(slug=chisinau.slug))
    assert "Report received" in response.content.decode(), typed
    assert Complaint.objects.get().recruiter == chisinau


def test_a_name_that_matches_nothing_is_taken_anyway_for_an_officer_to_match(
    client, chisinau, others
):
    response = report(client, "Golden Bridge Jobs")
    page = response.content.decode()
    assert "Report received" in page
    assert "We cannot find that recruiter" not in page
    assert "We did not find “Golden Bridge Jobs” on our list." in page
    complaint = Complaint.objects.get()
    assert complaint.recruiter is None
    assert complaint.recruiter_name_given == "Golden Bridge Jobs"
    assert complaint.needs_matching
    assert complaint.recruiter_display == "Golden Bridge Jobs"


def test_a_number_nobody_holds_is_taken_anyway_as_given(client, chisinau):
    report(client, "IRIS-A-000000")
    complaint = Complaint.objects.get()
    assert complaint.recruiter is None and complaint.recruiter_name_given == "IRIS-A-000000"


@pytest.fixture
def two_alike(db):
    return [
        RecruiterFactory(legal_name="Nordic Care Staffing AB", hq_country=country("NL")),
        RecruiterFactory(legal_name="Nordic Care Staffing Oy", hq_country=country("IE")),
    ]


def test_when_several_match_they_are_offered_and_everything_typed_is_kept(client, two_alike):
    response = report(
        client,
        "nordic care",
        description="They kept my passport in Malmö.",
        happened_when="May 2026",
        name="Ion Rusu",
    )
    page = response.content.decode()
    assert not Complaint.objects.exists()
    assert "Which recruiter do you mean?" in page
    assert "Nordic Care Staffing AB" in page and "Nordic Care Staffing Oy" in page
    assert "Netherlands" in page and "Ireland" in page
    assert "None of these" in page
    # What the person typed is still there.
    assert "They kept my passport in Malmö." in page
    assert 'value="May 2026"' in page and 'value="Ion Rusu"' in page
    assert 'value="nordic care"' in page


def test_the_person_chooses_one_of_the_matches(client, two_alike):
    oy = two_alike[1]
    report(client, "nordic care", recruiter_choice=str(oy.pk))
    complaint = Complaint.objects.get()
    assert complaint.recruiter == oy
    assert complaint.recruiter_name_given == "nordic care"


def test_none_of_these_sends_the_report_with_the_name_as_typed(client, two_alike):
    response = report(client, "nordic care", recruiter_choice="none")
    assert "Report received" in response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.recruiter is None and complaint.needs_matching
    assert complaint.recruiter_name_given == "nordic care"


def test_a_choice_made_for_another_name_is_not_taken_for_this_one(client, two_alike, chisinau):
    # She picked from the list, then changed the name: the new name is matched afresh.
    report(client, "Chisinau Work", recruiter_choice=str(two_alike[0].pk))
    assert Complaint.objects.get().recruiter == chisinau


def test_the_full_name_of_one_recruiter_is_that_recruiter_even_when_others_start_alike(client, db):
    short = RecruiterFactory(legal_name="Harvest Fields Labour")
    RecruiterFactory(legal_name="Harvest Fields Labour Services Ltd")
    report(client, "Harvest Fields Labour")
    assert Complaint.objects.get().recruiter == short


def test_report_this_recruiter_fills_in_its_name_not_its_slug(client, chisinau):
    page = client.get(URL, {"recruiter": chisinau.slug}).content.decode()
    assert 'value="Chişinău Work Abroad SRL"' in page
    assert f'value="{chisinau.slug}"' not in page


def test_the_name_filled_in_from_a_recruiters_page_finds_it_even_off_the_roster(client, db):
    # Its accreditation was withdrawn; its page is still public, and so is its report button.
    from iris.models import AccreditationState

    gone = RecruiterFactory(legal_name="Fast Jobs Abroad SRL", state=AccreditationState.WITHDRAWN)
    page = client.get(URL, {"recruiter": gone.slug}).content.decode()
    assert 'value="Fast Jobs Abroad SRL"' in page
    report(client, "Fast Jobs Abroad SRL")
    assert Complaint.objects.get().recruiter == gone


def test_an_applicant_is_never_matched(client, db):
    applicant = RecruiterFactory(legal_name="Hopeful Agency Ltd", applicant=True)
    report(client, applicant.slug)
    report(client, "Hopeful Agency Ltd", token=token_from(client))
    assert not Complaint.objects.filter(recruiter=applicant).exists()
    assert Complaint.objects.filter(recruiter__isnull=True).count() == 2


def test_an_officer_links_a_complaint_to_the_recruiter_it_was_about(db, officer, chisinau):
    complaint, _code = complaints.complaint_submit(
        recruiter_name_given="Chisinau Jobs", categories=[], description="Fees."
    )
    assert complaint.needs_matching
    complaints.complaint_recruiter_match(complaint=complaint, recruiter=chisinau, by=officer)
    complaint.refresh_from_db()
    assert complaint.recruiter == chisinau and not complaint.needs_matching
    assert complaint.history.first().history_user == officer


def test_a_recruiter_already_linked_is_not_relinked(db, officer, chisinau, others):
    complaint, _code = complaints.complaint_submit(
        recruiter=chisinau, categories=[], description="Fees."
    )
    with pytest.raises(complaints.ComplaintError):
        complaints.complaint_recruiter_match(complaint=complaint, recruiter=others[0], by=officer)


def detail(complaint) -> str:
    return reverse("iris-complaints:detail", args=[complaint.reference])


def find(complaint) -> str:
    return reverse("iris-complaints:find", args=[complaint.reference])


def match(complaint) -> str:
    return reverse("iris-complaints:match", args=[complaint.reference])


def test_officers_see_the_reports_waiting_to_be_matched(officer_client, chisinau):
    waiting, _code = complaints.complaint_submit(
        recruiter_name_given="Golden Bridge Jobs", categories=[], description="Fees."
    )
    linked, _code = complaints.complaint_submit(
        recruiter=chisinau, categories=[], description="Fees."
    )
    url = reverse("iris-complaints:queue")
    page = officer_client.get(url, {"matching": "on"}).content.decode()
    assert waiting.reference in page and linked.reference not in page
    assert "Golden Bridge Jobs" in page
    page = officer_client.get(detail(waiting)).content.decode()
    assert "Golden Bridge Jobs" in page
    assert match(waiting) in page or "No recruiter found" in page


def test_an_officer_links_it_from_the_complaint_page(officer_client, chisinau):
    complaint, _code = complaints.complaint_submit(
        recruiter_name_given="Chisinau Jobs", categories=[], description="Fees."
    )
    page = officer_client.get(detail(complaint)).content.decode()
    assert "Chisinau Jobs" in page
    assert "Chişinău Work Abroad SRL" in page  # the roster's closest matches are suggested
    response = officer_client.post(match(complaint), {"recruiter": chisinau.pk})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.recruiter == chisinau
    page = officer_client.get(reverse("iris-complaints:queue"), {"matching": "on"})
    assert complaint.reference not in page.content.decode()


def test_a_link_refused_by_the_service_says_why(officer_client, officer, chisinau, others):
    complaint, _code = complaints.complaint_submit(
        recruiter_name_given="Chisinau Jobs", categories=[], description="Fees."
    )
    officer_client.post(find(complaint), {"find": "Harvest"}, follow=True)
    # A colleague links it meanwhile; this officer's choice is refused, plainly.
    complaints.complaint_recruiter_match(complaint=complaint, recruiter=chisinau, by=officer)
    response = officer_client.post(match(complaint), {"recruiter": others[1].pk})
    assert response.status_code == 400
    assert "This complaint is already linked to a recruiter." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.recruiter == chisinau


def test_staff_who_may_not_change_complaints_cannot_link_them(client, db, chisinau):
    from iomuk.models import User

    user = User.objects.create_user("viewer", password="x-pass-123456", is_staff=True)
    client.force_login(user)
    complaint, _code = complaints.complaint_submit(
        recruiter_name_given="Chisinau Jobs", categories=[], description="Fees."
    )
    assert client.post(match(complaint), {"recruiter": chisinau.pk}).status_code == 403
    complaint.refresh_from_db()
    assert complaint.recruiter is None


@pytest.mark.parametrize("language", ["bg", "cs", "hu", "ro"])
def test_the_list_of_matches_reads_in_each_language(client, two_alike, settings, language):
    from tests.iomuk.test_translations import catalogue_english, untranslated

    for _ in range(10):
        RecruiterFactory(legal_name="Nordic Care Staffing Group")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    english = report(client, "nordic care").content.decode()
    assert "More recruiters match than are shown here." in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = report(client, "nordic care").content.decode()
    typed = frozenset({"They took 900 euros and my passport."})
    # The recruiters' names and numbers are the same in every language.
    same = [t for t in untranslated(english, html, language, names=typed) if "Nordic" not in t]
    assert same == []
    assert catalogue_english(html, language) == []


@pytest.mark.parametrize(
    "typed",
    ["Chisinau\x00Work", "\x00", "https://x/iris/recruiters/\x00/", "http://[::1/recruiters/x"],
)
def test_a_garbled_name_gets_a_page_not_an_error(client, chisinau, typed):
    # PostgreSQL refuses a NUL even in a lookup; the form answers with a page.
    assert report(client, typed).status_code == 200


def test_a_recruiter_link_with_a_nul_gets_the_plain_bad_request_page(client, db):
    assert client.get(URL, {"recruiter": "\x00"}).status_code == 400


@pytest.mark.parametrize("slug", ["x" * 500, "../admin", "<b>"])
def test_a_garbled_recruiter_link_shows_the_empty_form(client, db, slug):
    response = client.get(URL, {"recruiter": slug})
    assert response.status_code == 200
    assert 'name="recruiter_ref"' in response.content.decode()


@pytest.mark.parametrize("language", ["bg", "cs", "hu", "ro"])
def test_the_report_taken_without_a_match_says_so_in_each_language(
    client, chisinau, settings, language
):
    from tests.iomuk.test_translations import catalogue_english, untranslated

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    english = report(client, "Golden Bridge Jobs").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = report(client, "Golden Bridge Jobs").content.decode()
    assert "Golden Bridge Jobs" in html
    codes = frozenset(re.findall(r"IRIS-C-\w+|[A-Z0-9]{12}", english + html))
    assert untranslated(english, html, language, names=codes) == []
    assert catalogue_english(html, language) == []


def test_an_officer_finds_it_by_a_number_written_any_way_and_links_it(officer_client, chisinau):
    complaint, _code = complaints.complaint_submit(
        recruiter_name_given="Golden Bridge Jobs", categories=[], description="Fees."
    )
    page = officer_client.post(find(complaint), {"find": "Golden Bridge"}, follow=True).text
    assert "No recruiter found" in page
    page = officer_client.post(find(complaint), {"find": "iris a 000017"}, follow=True).text
    assert "Chişinău Work Abroad SRL" in page
    officer_client.post(match(complaint), {"recruiter": chisinau.pk})
    complaint.refresh_from_db()
    assert complaint.recruiter == chisinau


def test_the_report_link_of_a_recruiters_page_names_it_and_never_an_applicant(client, db):
    """ "Report this recruiter" on a recruiter's page fills its name in. An applicant has no
    public page: a link with its slug names no one, as does a slug no recruiter has."""
    withdrawn = RecruiterFactory(legal_name="Withdrawn Placements Ltd", state="withdrawn")
    applicant = RecruiterFactory(legal_name="Hidden Applicant Ltd", applicant=True)

    def name_field(slug):
        page = client.get(URL, {"recruiter": slug}).content.decode()
        return re.search(r'<input[^>]*name="recruiter_ref"[^>]*>', page).group(0)

    assert 'value="Withdrawn Placements Ltd"' in name_field(withdrawn.slug)
    assert "value=" not in name_field(applicant.slug)
    assert "Hidden Applicant" not in client.get(URL, {"recruiter": applicant.slug}).content.decode()
    assert "value=" not in name_field("no-such-recruiter")
