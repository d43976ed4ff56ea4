"""Calendar periods: those the staff workspace counts by, and periods said in words."""

from datetime import date, timedelta

from django.utils.translation import ngettext


def month_starts(today: date, months: int) -> list[date]:
    """The first day of each of the last `months` months, this one included, oldest first."""
    first = today.replace(day=1)
    starts = [first]
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        starts.append(first)
    return list(reversed(starts))


def period_in_words(days: int) -> str:
    """A period of days as people say it: 730 is "2 years", 365 "1 year", 180 "6 months"."""
    if days >= 365 and days % 365 == 0:
        years = days // 365
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    if days >= 30 and days % 30 == 0:
        months = days // 30
        return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
