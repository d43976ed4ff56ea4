"""The ticked lists of short tables (the complaint form's "what happened", the join form's
sectors) are read in one query, offering what Django's own reading offers (issue 30)."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from iris.complaints.forms import ComplaintForm
from iris.complaints.models import ComplaintCategory
from iris.recruiters.forms import JoinForm
from iris.recruiters.models import Sector

pytestmark = pytest.mark.django_db


def django_reads(field) -> list[tuple[str, str]]:
    """The choices as Django's ModelChoiceIterator gives them."""
    return [(str(value), str(label)) for value, label in forms.models.ModelChoiceIterator(field)]


@pytest.mark.parametrize(
    ("form_class", "name", "model"),
    [(ComplaintForm, "categories", ComplaintCategory), (JoinForm, "sectors", Sector)],
)
@pytest.mark.parametrize("language", ["en-gb", "ro"])
def test_the_list_offers_every_row_in_order_as_django_would(form_class, name, model, language):
    assert model.objects.count() > 3  # the migrations' reference rows
    with translation.override(language):
        field = form_class().fields[name]
        offered = [(str(value), str(label)) for value, label in field.choices]
        assert offered == django_reads(field)


@pytest.mark.parametrize(
    ("path", "table"),
    [("/iris/complaints/new/", "iris_complaintcategory"), ("/iris/join/", "iris_sector")],
)
def test_the_form_page_reads_the_list_in_one_query_without_a_cursor(client, path, table):
    with CaptureQueriesContext(connection) as read:
        page = client.get(path)
    assert page.status_code == 200
    reads = [q["sql"] for q in read.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert len(reads) == 1
    # A server-side cursor is three round trips (DECLARE, FETCH, CLOSE) where one will do.
    assert not reads[0].startswith("DECLARE")


@pytest.mark.parametrize(
    ("path", "name", "model"),
    [
        ("/iris/complaints/new/", "categories", ComplaintCategory),
        ("/iris/join/", "sectors", Sector),
    ],
)
def test_ticked_boxes_stay_ticked_when_the_form_comes_back(
    client, private_cache, path, name, model
):
    """Sent with a mistake elsewhere, the form shows the person's ticks as they left them."""
    first, second, *others = model.objects.values_list("pk", flat=True)
    page = client.post(path, {name: [first, second], "form_started": ""})
    html = page.content.decode()
    assert page.status_code == 200
    assert "is-invalid" in html  # it came back with the mistakes marked
    boxes = dict(
        re.findall(rf'<input type="checkbox"[^>]*name="{name}" value="([^"]+)"([^>]*)>', html)
    )
    assert set(boxes) == {str(pk) for pk in [first, second, *others]}
    assert {pk for pk, attrs in boxes.items() if " checked" in attrs} == {str(first), str(second)}
