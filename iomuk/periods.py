"""Calendar periods the staff workspace counts by."""

from datetime import date, timedelta


def month_starts(today: date, months: int) -> list[date]:
    """The first day of each of the last `months` months, this one included, oldest first."""
    first = today.replace(day=1)
    starts = [first]
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        starts.append(first)
    return list(reversed(starts))
