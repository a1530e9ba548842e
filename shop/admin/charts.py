"""Tiny server-side SVG bar charts for the Kanwil dashboard.

No JavaScript and no inline CSS (the Content-Security-Policy forbids inline styles): only SVG
presentation attributes. Every chart is an image to assistive technology (role="img", an
aria-label and a <title>); the numbers themselves are in a table beside the chart.

The charts are drawn in a small coordinate system (viewBox) and stretched to the width of their
container (width="100%"), so the text inside stays legible on a 360 px phone.
"""

from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
NAVY = "#12355b"
GOLD = "#8a5a0c"  # --gold-dark: 4.5:1 on white, like the text colours of the shop
OK = "#1d6b3a"
BAD = "#a31d1d"
MUTED = "#555d66"
LINE = "#c8bca8"


def _n(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(width, height, label, body, css_class="chart"):
    label = escape(label)
    return Markup(
        f'<svg class="{css_class}" role="img" aria-label="{label}" width="100%" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="{FONT}">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


def month_bars(values: list[int], labels: list[str], scale_max: int, label: str,
               highlight_last=True) -> Markup:
    """Vertical bars, one per month, on a shared scale (`scale_max`) so that several small
    charts side by side compare. The last bar (this month) is drawn in gold."""
    width, top, bar_area, bottom = 200, 6, 64, 20
    height = top + bar_area + bottom
    slot = (width - 8) / max(1, len(values))
    bar_w = slot * 0.64
    scale = bar_area / scale_max if scale_max > 0 else 0
    body = []
    for i, (value, text) in enumerate(zip(values, labels, strict=True)):
        x = 4 + i * slot + (slot - bar_w) / 2
        h = max(value * scale, 1.5 if value > 0 else 0)
        last = highlight_last and i == len(values) - 1
        if h:
            body.append(f'<rect x="{_n(x)}" y="{_n(top + bar_area - h)}" width="{_n(bar_w)}" '
                        f'height="{_n(h)}" rx="2" fill="{GOLD if last else NAVY}"/>')
        body.append(f'<text x="{_n(x + bar_w / 2)}" y="{_n(height - 5)}" font-size="13" '
                    f'text-anchor="middle" fill="{MUTED}">{escape(text)}</text>')
    body.append(f'<line x1="2" x2="{width - 2}" y1="{top + bar_area + 0.5}" '
                f'y2="{top + bar_area + 0.5}" stroke="{LINE}" stroke-width="1"/>')
    return _svg(width, height, label, body)


@dataclass
class ProgressRow:
    name: str
    value: int
    met: bool
    note: str  # e.g. "2/2" or "1/2 · kurang 1"


def target_bars(rows: list[ProgressRow], target: int, label: str, target_text: str) -> Markup:
    """Horizontal bars, one per facility: its count against the target (a dashed line).
    Green when the target is met, red otherwise; the text says so too (colour is not the only
    signal)."""
    width, pad, row_h, name_h, bar_h, head = 400, 6, 44, 17, 14, 22
    height = head + row_h * max(1, len(rows)) + 4
    top_value = max([target, 1, *(r.value for r in rows)])
    scale_w = 250  # bars up to here; the note is written after the bar
    unit = scale_w / top_value
    target_x = pad + target * unit
    body = [
        f'<text x="{_n(target_x)}" y="14" font-size="13" text-anchor="middle" '
        f'fill="{MUTED}">{escape(target_text)}</text>',
    ]
    for i, row in enumerate(rows):
        y = head + i * row_h
        body.append(f'<text x="{pad}" y="{_n(y + name_h - 4)}" font-size="14" '
                    f'fill="#1f2328">{escape(row.name)}</text>')
        bar_y = y + name_h
        bar_w = row.value * unit
        colour = OK if row.met else BAD
        body.append(f'<rect x="{pad}" y="{_n(bar_y)}" width="{_n(scale_w)}" '
                    f'height="{bar_h}" rx="3" fill="#efe8dc"/>')
        if bar_w:
            body.append(f'<rect x="{pad}" y="{_n(bar_y)}" width="{_n(bar_w)}" '
                        f'height="{bar_h}" rx="3" fill="{colour}"/>')
        body.append(f'<text x="{_n(pad + scale_w + 8)}" y="{_n(bar_y + bar_h - 2)}" '
                    f'font-size="14" font-weight="700" fill="{colour}">'
                    f'{escape(row.note)}</text>')
    body.append(f'<line x1="{_n(target_x)}" x2="{_n(target_x)}" y1="18" y2="{_n(height - 2)}" '
                f'stroke="#1f2328" stroke-width="1.5" stroke-dasharray="4 3"/>')
    return _svg(width, height, label, body)
