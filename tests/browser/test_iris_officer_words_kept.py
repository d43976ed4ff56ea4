"""An IRIS officer's message to a complainant, refused for want of its language, comes back with
every word still in the box; and the news email it causes opens in the complainant's language."""

from tests.browser.conftest import email_to, link_in
from tests.iris.factories import ComplaintFactory

WORDS = (
    "Thank you for the photos of the contract. Could you tell us the name of the person who "
    "took your passport, and when? Take your time."
)


def test_a_refused_message_keeps_the_officers_words_and_its_news_opens_in_romanian(
    new_page, officer, sign_in
):
    complaint = ComplaintFactory(
        reference="IRIS-C-7K2M9P", preferred_language="ro", email="maria@example.org"
    )
    desk = new_page()
    sign_in(desk, "officer", "officer-pass-123", f"/staff/iris/complaints/{complaint.reference}/")
    desk.get_by_label("Sent to the complainant").check()
    desk.get_by_label("Your own words", exact=True).fill(WORDS)
    desk.get_by_role("button", name="Save").click()
    desk.get_by_text("Say which language your own words are in.").wait_for()
    assert desk.get_by_label("Your own words", exact=True).input_value() == WORDS
    assert not complaint.messages.exists()

    desk.get_by_label("The language your own words are in").select_option("en-gb")
    desk.get_by_role("button", name="Save").click()
    desk.get_by_text("Message sent in English").wait_for()
    assert complaint.messages.get().body == WORDS

    # Maria opens the link in the email on a phone that has never been to the site.
    news = email_to("maria@example.org", "iris-complaint-update")
    phone = new_page(locale="en-GB")
    phone.goto(link_in(news.body_text, "/iris/complaints/track/"))
    assert phone.locator("html").get_attribute("lang") == "ro"
    phone.get_by_text("Salt la conținutul principal").wait_for(state="attached")
    # She goes on around the site in Romanian.
    phone.goto("/iris/")
    assert phone.locator("html").get_attribute("lang") == "ro"
