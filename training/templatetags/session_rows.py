"""The training list's rows, drawn in Python (issue 30).

`{% session_rows page.object_list %}` writes what the list's `{% for %}` loop wrote, byte for
byte, without a template tag and filter per value of each of the 20 rows: the same translated
strings, dates and numbers, each value escaped. tests/training/test_session_rows.py holds it to
the template's output in three languages.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from iomuk.dates import long_date
from training.models import Session

register = template.Library()

_SLUG = "the-slug"  # a stand-in, to reverse the session page's URL once for all the rows


@register.simple_tag
def session_rows(sessions) -> SafeString:
    head, tail = reverse("training:session", args=[_SLUG]).split(_SLUG)
    return mark_safe("".join(_row(session, head, tail) for session in sessions))  # noqa: S308


def _row(session: Session, head: str, tail: str) -> str:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    place = conditional_escape(session.get_format_display())
    if session.format == Session.Format.IN_PERSON:
        place = format_html("{}: {}, {}", place, session.venue, session.get_region_display())
    if session.seats_left:
        # (as {% blocktranslate %}: the values are escaped, not the translation)
        seats = mark_safe(  # noqa: S308
            ngettext("%(counter)s seat left", "%(counter)s seats left", session.seats_left)
            % {"counter": session.seats_left}
        )
    else:
        seats = format_html(
            '<span class="badge text-bg-warning">{}</span>', gettext("Full: join the waiting list")
        )
    hours = gettext("%(hours)s CPD hours") % {
        "hours": conditional_escape(floatformat(session.course.cpd_hours, "-1"))
    }
    return format_html(
        '\n  <li class="card mb-3"><div class="card-body">\n'
        '    <h3 class="h5 card-title"><a href="{}{}{}">{}</a></h3>\n'
        '    <p class="mb-1"><strong>{}</strong>, {}–{}</p>\n'
        '    <p class="mb-1">{}</p>\n'
        '    <p class="mb-0">{}\n'
        "    · {}</p>\n"
        "  </div></li>\n  ",
        head,
        session.slug,
        tail,
        session.course.title,
        long_date(session.starts_at, weekday=True),
        f"{starts:%H:%M}",
        f"{ends:%H:%M}",
        place,
        seats,
        mark_safe(hours),  # noqa: S308 (the translation is ours; the number is escaped)
    )
