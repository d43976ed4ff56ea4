# ruff: noqa: E501 (the template loop, as it was written)
"""The roster's rows drawn in Python (iris/templatetags/roster_rows.py) are the rows the
roster's template loop drew, byte for byte: in three languages, for a recruiter accredited,
suspended or lapsed, with and without trading names and sectors, and names that need escaping."""

import pytest
from django.template import Context, Template
from django.utils import translation

from iris.models import Sector
from iris.recruiters.selectors import roster_entries
from tests.iris.factories import RecruiterFactory, country, sector

# The loop as templates/iris/roster.html wrote it before the rows were drawn in Python.
TEMPLATE_LOOP = (
    "{% load i18n %}"
    + """  {% for recruiter in recruiters %}
  <li class="card mb-2 {% if recruiter.state == 'suspended' %}iris-suspended{% endif %}"><div class="card-body">
    <h2 class="h5 mb-1"><a href="{% url 'iris:recruiter' recruiter.slug %}">{{ recruiter.legal_name }}</a>
      {% with state=recruiter.effective_state %}<span class="badge badge-state iris-state iris-state-{{ state }}">{{ recruiter.effective_state_label }}</span>{% endwith %}</h2>{# iris/_state_badge.html, written in place: one template for the 20 rows #}
    {% if recruiter.state == 'suspended' %}<p class="mb-1 fw-bold">{% translate "Suspended: do not rely on this accreditation." %}</p>{% endif %}
    {% if recruiter.trading_name_list %}<p class="mb-1 text-body-secondary">{% translate "Also trades as" %} {{ recruiter.trading_name_list|join:", " }}</p>{% endif %}
    <p class="mb-0">{{ recruiter.hq_country }} · {% for s in recruiter.sectors.all %}{{ s }}{% if not forloop.last %}, {% endif %}{% endfor %} · {% translate "Number" %} {{ recruiter.accreditation_number }}</p>
  </div></li>
  {% endfor %}
"""
)


def _recruiters():
    suspended = RecruiterFactory(
        legal_name='Munca "Cinstită" <SRL> & Fiii',
        state="suspended",
        trading_names="Snap Jobs\n  \nO'Neill & Co <b>",
        hq_country=country("RO"),
        sectors=[sector("care")],
    )
    suspended.sectors.add(sector("agriculture"))  # after care, which the row lists it before
    recruiters = [
        suspended,
        RecruiterFactory(sectors=[sector("care")]),
        RecruiterFactory(lapsed=True, hq_country=country("BG")),
    ]
    return roster_entries(ids=[recruiter.pk for recruiter in recruiters])


@pytest.mark.parametrize("language", ["en-gb", "ro", "cs"])
def test_the_rows_are_the_template_loops_rows(db, language):
    recruiters = _recruiters()
    with translation.override(language):
        expected = Template(TEMPLATE_LOOP).render(Context({"recruiters": recruiters}))
        drawn = Template("{% load roster_rows %}  {% roster_rows recruiters %}\n").render(
            Context({"recruiters": recruiters})
        )
    assert drawn == expected
    assert "Munca &quot;Cinstită&quot; &lt;SRL&gt; &amp; Fiii" in drawn
    assert drawn.count("<li ") == 3


def test_a_country_or_sector_not_yet_in_this_processs_lists_is_still_named(db, monkeypatch):
    """A country or sector added a moment ago may not be in the lists this process keeps (it
    looks at the lists' version once a second): the row names it all the same, and lists the
    sectors in their order."""
    recruiters = _recruiters()
    monkeypatch.setattr("iris.recruiters.choices.reference_options", lambda model: [])
    with translation.override("ro"):
        expected = Template(TEMPLATE_LOOP).render(Context({"recruiters": recruiters}))
        drawn = Template("{% load roster_rows %}  {% roster_rows recruiters %}\n").render(
            Context({"recruiters": recruiters})
        )
        first, second = map(str, Sector.objects.filter(code__in=["care", "agriculture"]))
    assert drawn == expected
    assert "România · " in drawn and "Bulgaria · " in drawn
    assert f" · {first}, {second} · " in drawn
