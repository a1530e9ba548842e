"""The partner desk's CSV downloads: a promotion's codes (and which order used each) and
what the partner owes each facility for a partner-funded promotion."""

from shop.core.csvfile import csv_response
from shop.core.time import to_wit
from shop.orders.promotion_figures import code_uses, figures_by_facility

CODES_HEADER = ["kode", "jenis", "dipakai_wit", "nomor_pesanan"]
STATEMENT_HEADER = ["lapas_rutan", "kode_unit", "paket", "penjualan",
                    "potongan_ditanggung_mitra", "termasuk_ongkir"]


def codes_csv(promotion):
    rows = ([code, "sekali_pakai" if single_use else "bersama",
             to_wit(used_at).strftime("%Y-%m-%d %H:%M") if used_at else "", number or ""]
            for code, single_use, used_at, number in code_uses(promotion.id))
    return csv_response(f"kode-{promotion.slug}.csv", CODES_HEADER, rows)


def statement_csv(promotion):
    rows = ([row.name, row.slug, row.parcels, row.sales, row.discount, row.shipping_part]
            for row in figures_by_facility(promotion.id, partner_funded_only=True))
    return csv_response(f"tagihan-{promotion.slug}.csv", STATEMENT_HEADER, rows)
