"""/dampak: the impact page (table, server-drawn SVG chart with a table for screen readers)
and its CSV."""

from flask import Blueprint, abort, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from shop.core.csvfile import csv_response
from shop.impact import queries

bp = Blueprint("impact", __name__)

CSV_HEADER = ["fasilitas", "nama", "pesanan", "unit", "pendapatan_barang", "premi", "pnbp",
              "modal_kerja"]


def year_arg() -> int:
    raw = request.args.get("year", "").strip()
    if not raw:
        return queries.default_year()
    if raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= 2100:
        return int(raw)
    abort(400)


def chart(impact, label) -> Markup:
    """Horizontal stacked bars (premi, PNBP, capital) per facility; decorative text aside."""
    rows = impact.facilities
    scale = max([1, *(f.goods_revenue for f in rows)])
    height = 24 * len(rows) + 8
    parts = [f'<svg class="chart" role="img" aria-label="{escape(label)}" width="100%" '
             f'viewBox="0 0 400 {height}"><title>{escape(label)}</title>']
    colours = (("premi", "#1d6b3a"), ("pnbp", "#8a5a00"), ("capital", "#2f4f8f"))
    for i, row in enumerate(rows):
        x, y = 150.0, 4 + 24 * i
        parts.append(f'<text x="0" y="{y + 14}" font-size="11">{escape(row.name[:26])}</text>')
        for name, colour in colours:
            width = max(getattr(row, name), 0) * 250 / scale
            if width > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="18" '
                             f'fill="{colour}"/>')
            x += width
    parts.append("</svg>")
    return Markup("".join(parts))


@bp.get("/en/impact")
def page_en():
    """The same page in English, at an address of its own (to share or print in English)."""
    with force_locale("en"):
        return page()


@bp.get("/dampak")
def page():
    year = year_arg()
    impact = queries.impact(year)
    label = _("Grafik pembagian hasil penjualan %(year)s per Lapas/Rutan: premi, PNBP, modal "
              "kerja", year=year)
    return render_template("impact/page.html", impact=impact, year=year,
                           chart=chart(impact, label) if impact.facilities else None,
                           years=range(queries.default_year(), 2023, -1))


@bp.get("/dampak.csv")
def page_csv():
    year = year_arg()
    impact = queries.impact(year)
    rows = [[f.slug, f.name, f.orders, f.units, f.goods_revenue, f.premi, f.pnbp, f.capital]
            for f in impact.facilities]
    totals = impact.totals
    rows.append(["JUMLAH", "", totals["orders"], totals["units"], totals["goods_revenue"],
                 totals["premi"], totals["pnbp"], totals["capital"]])
    return csv_response(f"dampak-{year}.csv", CSV_HEADER, rows)
