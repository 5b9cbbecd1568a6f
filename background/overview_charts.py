"""Bar charts of the overview's tables, drawn as small inline SVG by a template.

Hand-written rather than a charting library: every chart here is a list of horizontal
bars, which a phone 360 px wide shows best with the label as ordinary text above each
bar (full width, the phone's own font size) and the bar sized in percent, so nothing is
scaled down or cut off. Charting libraries (pygal) draw into a fixed view box whose
text shrinks with the screen and cut long commune names in a narrow axis margin.
Each bar carries its figures in a <title> and an aria-label; the table sits below."""

from dataclasses import dataclass

from background.overview import COUNT, MONEY, Table
from catalogue.money import format_vnd

PALETTE = ("#00676a", "#e07b00", "#5b8c00", "#8e44ad", "#c0392b", "#4a5a6a")
ERROR_FIRST = ("#c0392b", "#00676a", "#e07b00", "#4a5a6a")  # "Lỗi" in red


def format_cell(value, kind: str) -> str:
    """A cell as people read it in Vietnamese: 1.234 and 1.234.567 ₫; — for unknown."""
    if value is None:
        return "—"
    if kind == MONEY:
        return format_vnd(value)
    if kind == COUNT:
        return f"{value:,}".replace(",", ".")
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    return str(value)


@dataclass(frozen=True)
class Segment:
    x: str  # percent of the chart's width
    width: str
    colour: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    title: str
    segments: list[Segment]


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    legend: list[tuple[str, str]]  # (series, colour); empty with one series
    note: str = ""


def chart(
    table: Table,
    values: list[int],
    title: str | None = None,
    limit: int | None = None,
    note: str = "",
    colours: tuple[str, ...] = PALETTE,
) -> Chart:
    """Bars of `table`'s rows: the first column labels them, the columns `values` are
    stacked (one colour each); the longest bar fills the width."""
    kind = table.columns[values[0]].kind
    series = [table.columns[i].title for i in values]
    rows = table.rows[:limit] if limit else table.rows
    totals = [sum(row[i] or 0 for i in values) for row in rows]
    longest = max(totals, default=0) or 1
    bars = []
    for row, total in zip(rows, totals, strict=True):
        segments, x = [], 0.0
        for n, i in enumerate(values):
            width = 100 * (row[i] or 0) / longest
            segments.append(Segment(f"{x:.2f}", f"{width:.2f}", colours[n % len(colours)]))
            x += width
        parts = [
            f"{name}: {format_cell(row[i], kind)}" for name, i in zip(series, values, strict=True)
        ]
        label = str(row[0])
        bars.append(
            Bar(
                label=label,
                value=format_cell(total, kind),
                title=f"{label} — {'; '.join(parts)}",
                segments=segments,
            )
        )
    legend = list(zip(series, colours, strict=False)) if len(values) > 1 else []
    return Chart(title or table.title, bars, legend, note)
