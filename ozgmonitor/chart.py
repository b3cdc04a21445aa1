"""The progress chart of `/ozg-monitor/` as plain numbers for an inline SVG (drawn by the
template, no JavaScript): one line per status (planned, in progress, online) over the months,
y from 0 to a round maximum. The same numbers are in the table next to it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["Chart", "progress_chart"]

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 30
#: statuses drawn, with their line style (colours with ≥3:1 contrast to white, WCAG 1.4.11,
#: and a dash pattern each, so the lines differ without colour too).
SERIES = (("online", "#1a7f37", ""), ("in_progress", "#9a6700", "8 4"), ("planned", "#0969da", "2 4"))


@dataclass(frozen=True)
class Line:
    status: str
    colour: str
    dash: str
    points: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: list[Line]
    y_ticks: list[tuple[int, float]]  # (value, y)
    x_labels: list[tuple[date, float]]  # (month, x)
    plot_left: int
    plot_right: int
    plot_bottom: int


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if value <= step * 4:
            return step * 4
    return value


def progress_chart(months: list[date], counts: dict[str, list[int]]) -> Chart:
    """Coordinates of the lines, ticks and labels for the months and counts of
    `ozgmonitor.selectors.progress_by_month`."""
    top_value = _nice_max(max([max(values, default=0) for values in counts.values()] + [1]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(months) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + i * step, 1)

    def y(value: int) -> float:
        return round(TOP + plot_h - value / top_value * plot_h, 1)

    lines = [Line(status, colour, dash, " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(counts.get(status, []))))
             for status, colour, dash in SERIES]
    ticks = [(top_value * k // 4, y(top_value * k // 4)) for k in range(5)]
    every = max(len(months) // 6, 1)
    labels = [(month, x(i)) for i, month in enumerate(months) if i % every == 0]
    return Chart(WIDTH, HEIGHT, lines, ticks, labels, LEFT, WIDTH - RIGHT, TOP + plot_h)
