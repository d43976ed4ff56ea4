"""The panels of the staff workspace: which role sees which figures, as a chart, a table and a CSV.

Each app registers its own panels from its AppConfig.ready() (`panel_register`); the workspace
shows them in the order they were registered, which is the order of INSTALLED_APPS. A panel
shows counts only: no names of people or organisations, so its page and its CSV can be read
over a shoulder or forwarded without exposing anyone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .charts import Chart, stacked_bars
from .models import User


@dataclass
class Panel:
    """A panel's summary, its table, and a chart of the same figures under the panel's title.

    The chart has a bar per row of the table (the first cell its label, the others the series
    named by the headers) unless `bars` and `series` say otherwise; `totals` adds a Total column
    to the table, not to the chart.
    """

    slug: str
    title: str
    summary: str
    headers: list[str]
    rows: list[list]
    desc: str  # what the chart shows, for a screen reader
    links: list[tuple[str, str]] = field(default_factory=list)
    series: list[str] | None = None
    bars: list[tuple[str, list[int]]] | None = None
    colours: list[int] | None = None
    totals: bool = False
    chart: Chart = field(init=False)

    def __post_init__(self):
        self.chart = stacked_bars(
            id=f"chart-{self.slug}",
            title=self.title,
            desc=self.desc,
            series=self.headers[1:] if self.series is None else self.series,
            rows=[(row[0], row[1:]) for row in self.rows] if self.bars is None else self.bars,
            colours=self.colours,
        )
        if self.totals:
            self.headers = [*self.headers, _("Total")]
            self.rows = [[*row, sum(row[1:])] for row in self.rows]


@dataclass(frozen=True)
class PanelSpec:
    """A panel as an app registers it: its slug (in the CSV's address), the team heading it
    shows under, the permission that opens it, and the function that builds it for a user."""

    slug: str
    team: str
    permission: str
    build: Callable[[User], Panel]


def day(value: date) -> str:
    return formats.date_format(value, "j M Y")


def month(value: date) -> str:
    return formats.date_format(value, "F Y")


def admin_link(name: str, **filters) -> str:
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def moment(value: date | datetime) -> str:
    """A point in time for an admin filter: aware, so the admin compares it in the right zone."""
    if not isinstance(value, datetime):
        value = timezone.make_aware(datetime.combine(value, time.min))
    return value.replace(microsecond=0).isoformat()


def drop_empty_columns(headers: list[str], keys: list, rows: list[list]):
    """Leave out the series (columns after the label) that are zero in every row."""
    keep = [i for i in range(len(keys)) if any(row[1 + i] for row in rows)]
    return (
        [headers[i] for i in keep],
        [keys[i] for i in keep],
        [[row[0], *(row[1 + i] for i in keep)] for row in rows],
    )


_PANELS: dict[str, PanelSpec] = {}


def panel_register(*specs: PanelSpec) -> None:
    """Add an app's panels to the workspace (registering a slug again replaces its panel)."""
    for spec in specs:
        _PANELS[spec.slug] = spec


def panel_spec(slug: str) -> PanelSpec | None:
    return _PANELS.get(slug)


def panels_for(user: User) -> list[PanelSpec]:
    """The panels the user's roles allow, in the workspace's order."""
    return [spec for spec in _PANELS.values() if user.has_perm(spec.permission)]
