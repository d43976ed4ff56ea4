import time

from django import forms

from iomuk.forms import HumanCheckForm


class ContactForm(HumanCheckForm):
    message = forms.CharField()


def _started(seconds_ago):
    signer = HumanCheckForm._signer
    return signer.sign(str(int(time.time() - seconds_ago)))


def test_a_person_who_took_their_time_gets_through(settings):
    settings.HUMAN_CHECK_MIN_SECONDS = 3
    form = ContactForm({"message": "hello", "form_started": _started(10)})
    assert form.is_valid(), form.errors


def test_a_bot_that_fills_the_hidden_field_is_turned_away():
    form = ContactForm({"message": "hello", "homepage": "http://spam.example"})
    assert not form.is_valid()
    assert "leave the last hidden field empty" in str(form.non_field_errors())


def test_a_form_sent_faster_than_a_person_could_is_turned_away(settings):
    settings.HUMAN_CHECK_MIN_SECONDS = 3
    form = ContactForm({"message": "hello", "form_started": _started(0)})
    assert not form.is_valid()
    assert "quicker than we expected" in str(form.non_field_errors())


def test_a_forged_start_time_is_refused(settings):
    settings.HUMAN_CHECK_MIN_SECONDS = 3
    form = ContactForm({"message": "hello", "form_started": "1000:forged"})
    assert not form.is_valid()
    assert "expired" in str(form.non_field_errors())


def test_the_hidden_field_is_hidden_from_people_and_screen_readers():
    html = str(ContactForm())
    assert 'class="hp-field" aria-hidden="true"' in html
    assert 'tabindex="-1"' in html
