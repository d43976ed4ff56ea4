"""The roster's result rows, drawn in Python (issue 30).

`{% roster_rows recruiters %}` writes what the roster's `{% for %}` loop wrote, byte for byte,
without a template tag and filter per value of each of the 20 rows: the same translated words,
each value escaped. tests/iris/test_roster_rows.py holds it to the template's output in three
languages; tests/iomuk/test_form_html_unchanged.py to the rows as they were drawn before.
"""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from iris.models import Country, Recruiter, Sector
from iris.recruiters.choices import reference_names

register = template.Library()

_SLUG = "the-slug"  # a stand-in, to reverse the recruiter page's URL once for all the rows


@register.simple_tag
def roster_rows(recruiters) -> SafeString:
    head, tail = reverse("iris:recruiter", args=[_SLUG]).split(_SLUG)
    words = {
        "suspended": escape(gettext("Suspended: do not rely on this accreditation.")),
        "also": escape(gettext("Also trades as")),
        "number": escape(gettext("Number")),
    }
    # Each head office's country and each sector as the lists name them, escaped: the kept
    # lists, in the reader's language (iris/recruiters/choices.py), not a lookup for each row.
    # (roster_entries gives each recruiter's sector_codes)
    countries = reference_names(Country, {recruiter.hq_country_id for recruiter in recruiters})
    sectors = reference_names(Sector, {code for r in recruiters for code in r.sector_codes})
    rows = "".join(
        _row(recruiter, f"{head}{recruiter.slug}{tail}", words, countries, sectors)
        for recruiter in recruiters
    )
    return mark_safe(rows)  # noqa: S308 - every value escaped


def _row(
    recruiter: Recruiter,
    url: str,
    words: dict[str, str],
    countries: dict[str, str],
    sectors: dict[str, str],
) -> str:
    suspended = recruiter.state == "suspended"
    trading_names = recruiter.trading_name_list
    codes = recruiter.sector_codes
    sector_names = ", ".join(name for code, name in sectors.items() if code in codes)
    country = countries.get(recruiter.hq_country_id, "")
    state = recruiter.effective_state
    return (
        f'\n  <li class="card mb-2 {"iris-suspended" if suspended else ""}">'
        '<div class="card-body">\n'
        f'    <h2 class="h5 mb-1"><a href="{escape(url)}">{escape(recruiter.legal_name)}</a>\n'
        f'      <span class="badge badge-state iris-state iris-state-{escape(state)}">'
        f"{escape(recruiter.effective_state_label)}</span></h2>\n"
        "    "
        + (f'<p class="mb-1 fw-bold">{words["suspended"]}</p>' if suspended else "")
        + "\n    "
        + (
            f'<p class="mb-1 text-body-secondary">{words["also"]} '
            f"{', '.join(escape(name) for name in trading_names)}</p>"
            if trading_names
            else ""
        )
        + f'\n    <p class="mb-0">{country} · {sector_names} · '
        f"{words['number']} {escape(str(recruiter.accreditation_number))}</p>\n"
        "  </div></li>\n  "
    )
