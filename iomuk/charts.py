"""Bar charts drawn on the server: the geometry of horizontal stacked bars for an SVG template.

Works under the strict Content-Security-Policy: positions are SVG attributes, colours are CSS
classes (chart-s0 … chart-s8 in static/css/site.css); no script and no inline style.
"""

from dataclasses import dataclass, field

WIDTH = 720
LABEL_WIDTH = 270
VALUE_WIDTH = 48
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 8
SERIES_CLASSES = 9  # the number of chart-s<n> colours in site.css
LABEL_CHARACTERS = 32


@dataclass
class Segment:
    x: float
    width: float
    value: int
    series: str
    css_class: str


@dataclass
class Bar:
    label: str
    total: int
    text_y: float
    y: float
    total_x: float
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    legend: list[tuple[str, str]]
    bars: list[Bar]
    width: int
    height: int
    bar_height: int = BAR_HEIGHT
    label_x: int = LABEL_WIDTH - 8
    axis_x: int = LABEL_WIDTH


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def stacked_bars(
    *,
    id: str,
    title: str,
    desc: str,
    series: list[str],
    rows: list[tuple[str, list[int]]],
    colours: list[int] | None = None,
    scale_to: int | None = None,
) -> Chart:
    """A horizontal bar per row, split into one segment per series, scaled to the largest row
    (or to `scale_to`, for figures with a fixed top such as a score out of 100).

    `colours` picks the chart-s<n> colour of each series when the default order would mislead
    (seats left in grey, say).
    """
    colours = colours or [s % SERIES_CLASSES for s in range(len(series))]
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    largest = scale_to or max((sum(values) for _label, values in rows), default=0) or 1
    bars = []
    for i, (label, values) in enumerate(rows):
        y = TOP + i * ROW_HEIGHT
        x = float(LABEL_WIDTH)
        segments = []
        for s, (name, value) in enumerate(zip(series, values, strict=True)):
            width = round(plot_width * value / largest, 1)
            if value:
                segments.append(Segment(x, width, value, name, f"chart-s{colours[s]}"))
            x += width
        bars.append(
            Bar(
                label=_short(label),
                total=sum(values),
                y=y,
                text_y=y + BAR_HEIGHT * 0.75,
                total_x=x + 6,
                segments=segments,
            )
        )
    legend = [(name, f"chart-s{colours[s]}") for s, name in enumerate(series)]
    height = TOP * 2 + max(len(rows), 1) * ROW_HEIGHT
    return Chart(
        id=id, title=title, desc=desc, legend=legend, bars=bars, width=WIDTH, height=height
    )
