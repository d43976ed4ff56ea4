# ruff: noqa: E501 (the template loop, as it was written)
"""The training list's rows drawn in Python (training/templatetags/session_rows.py) are the
rows the list's template loop drew, byte for byte: in three languages, online and in person,
with seats and full, whole and part CPD hours, and names that need escaping."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.training.factories import CourseFactory, SessionFactory
from training.models import Session

# The list's loop as templates/training/index.html wrote it before the rows were drawn in Python.
TEMPLATE_LOOP = (
    "{% load i18n dates %}"
    + """  {% for session in page.object_list %}
  <li class="card mb-3"><div class="card-body">
    <h3 class="h5 card-title"><a href="{% url 'training:session' session.slug %}">{{ session.course.title }}</a></h3>
    <p class="mb-1"><strong>{{ session.starts_at|long_date:"weekday" }}</strong>, {{ session.starts_at|time:"H:i" }}–{{ session.ends_at|time:"H:i" }}</p>
    <p class="mb-1">{{ session.get_format_display }}{% if session.format == "in_person" %}: {{ session.venue }}, {{ session.get_region_display }}{% endif %}</p>
    <p class="mb-0">{% if session.seats_left %}{% blocktranslate trimmed count counter=session.seats_left %}{{ counter }} seat left{% plural %}{{ counter }} seats left{% endblocktranslate %}{% else %}<span class="badge text-bg-warning">{% translate "Full: join the waiting list" %}</span>{% endif %}
    · {% blocktranslate trimmed with hours=session.course.cpd_hours|floatformat:"-1" %}{{ hours }} CPD hours{% endblocktranslate %}</p>
  </div></li>
  {% endfor %}
"""
)


def _sessions():
    # 23:30 in London on a winter night is the next day in UTC; 00:15 in summer is the day before.
    winter = datetime(2027, 1, 14, 23, 30, tzinfo=ZoneInfo("Europe/London"))
    summer = datetime(2027, 7, 1, 0, 15, tzinfo=ZoneInfo("Europe/London"))
    awkward = CourseFactory(
        title='Spotting <b>"exploitation"</b> & abuse', cpd_hours=Decimal("1.5")
    )
    sessions = [
        SessionFactory(course=awkward, starts_at=winter, venue="O'Brien & Sons <Hall>"),
        SessionFactory(starts_at=summer, format=Session.Format.ONLINE, venue="", region=""),
        SessionFactory(course=CourseFactory(cpd_hours=Decimal("2.25")), region="north_west"),
    ]
    for session, seats_left in zip(sessions, (1, 0, 12), strict=True):
        session.seats_left = seats_left
    return sessions


@pytest.mark.parametrize("language", ["en-gb", "ro", "cs"])
def test_the_rows_are_the_template_loops_rows(db, language):
    sessions = _sessions()
    with translation.override(language):
        expected = Template(TEMPLATE_LOOP).render(Context({"page": {"object_list": sessions}}))
        drawn = Template("{% load session_rows %}  {% session_rows sessions %}\n").render(
            Context({"sessions": sessions})
        )
    assert drawn == expected
    assert "&lt;b&gt;&quot;exploitation&quot;&lt;/b&gt; &amp; abuse" in drawn
    assert drawn.count("<li ") == 3


def test_a_list_page_shows_the_rows(db, client):
    session = SessionFactory(starts_at=datetime.now(ZoneInfo("UTC")) + timedelta(days=30))
    page = client.get("/training/").content.decode()
    assert f'href="/training/{session.slug}/"' in page
    assert "10 seats left" in page
