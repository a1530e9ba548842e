"""A small bar chart drawn on the server as inline SVG: no script, no library.

Accessible: role="img" with an aria-label that says what the chart shows (the numbers are in a
table beside it), a <title>, and a <title> on each bar. Readable on a phone: the drawing is
320 units wide and scales to its container; text is 13 units.
Only presentation attributes are used (the CSP forbids inline styles).
"""

from datetime import date, timedelta

from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 24, 28
BAR = "#12355b"
GRID = "#e3ddd2"
TEXT = "#1f2328"
MAX_DAYS = 62


def daily_series(rows, value_index=1, max_days=MAX_DAYS):
    """[(YYYY-MM-DD, value)] for every day from the first to the last row (0 where no row),
    at most the last `max_days` days."""
    if not rows:
        return []
    values = {row[0]: row[value_index] for row in rows}
    first, last = date.fromisoformat(rows[0][0]), date.fromisoformat(rows[-1][0])
    first = max(first, last - timedelta(days=max_days - 1))
    days = (last - first).days + 1
    return [((first + timedelta(days=i)).isoformat(),
             values.get((first + timedelta(days=i)).isoformat(), 0)) for i in range(days)]


def _short(day: str) -> str:
    return f"{day[8:10]}/{day[5:7]}"


def bar_chart(points, label: str, describe=str) -> Markup:
    """An SVG bar chart of [(day, value)]; `describe(value)` words a value (e.g. rupiah)."""
    label = str(label)
    if not points:
        return Markup("")
    top = max(value for _, value in points) or 1
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / len(points)
    bar_w = min(max(step * 0.7, 1), 36)  # one day alone is a bar, not a wall
    every = max(1, -(-len(points) // 6))  # at most about six day labels
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-label="{escape(label)}" class="bar-chart" focusable="false">',
        f"<title>{escape(label)}</title>",
        f'<text x="{LEFT}" y="14" font-size="13" fill="{TEXT}">'
        f"{escape(_('maks. %(value)s', value=describe(top)))}</text>",
        f'<line x1="{LEFT}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}" stroke="{GRID}" '
        'stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        f'stroke="{TEXT}" stroke-width="1"/>',
    ]
    for i, (day, value) in enumerate(points):
        h = round(plot_h * value / top, 1)
        x = round(LEFT + i * step + (step - bar_w) / 2, 1)
        y = round(TOP + plot_h - h, 1)
        parts.append(
            f'<rect x="{x}" y="{y}" width="{round(bar_w, 1)}" height="{h}" fill="{BAR}">'
            f"<title>{escape(_short(day) + ': ' + describe(value))}</title></rect>")
        if i % every == 0 or i == len(points) - 1 and len(points) <= 6:
            cx = round(LEFT + i * step + step / 2, 1)
            parts.append(f'<text x="{cx}" y="{HEIGHT - 8}" font-size="13" fill="{TEXT}" '
                         f'text-anchor="middle">{escape(_short(day))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
