"""A facility's statement of a closed month, to be signed and filed: CSV and a one-page A4 PDF
(fpdf2) with the facility, the period, the figures, the rule used, and a footer with the
generation time and the checksum of the figures."""

from fpdf import FPDF

from shop.core.money import format_rupiah
from shop.core.time import to_wit, utcnow
from shop.payments.closing_models import COUNT_FIELDS, FIGURE_FIELDS

MONTHS = ("", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
LABELS = {
    "parcels": "Paket terjual",
    "cancelled": "Paket batal",
    "units": "Unit terjual",
    "gross": "Penjualan kotor (harga barang)",
    "facility_discounts": "Diskon ditanggung Lapas/Rutan",
    "partner_discounts": "Diskon didanai mitra (tetap pendapatan)",
    "goods_refunds": "Pengembalian barang",
    "goods_revenue": "Pendapatan barang",
    "premi": "Premi warga binaan",
    "pnbp": "PNBP",
    "capital": "Modal kerja",
    "shipping": "Ongkir diterima (tidak dibagi)",
    "shipping_discounts": "Diskon ongkir (tidak dibagi)",
    "unique_codes": "Kode unik transfer (tidak dibagi)",
    "gateway_fees": "Biaya gateway (tidak dibagi)",
    "partner_owed": "Terutang oleh mitra",
}
RULE_TEXT = ("Pendapatan barang = penjualan kotor - diskon ditanggung Lapas/Rutan - pengembalian "
             "barang. Dibagi menurut persentase yang berlaku saat paket dibayar (premi/PNBP/modal "
             "kerja: {rule}), rupiah utuh, sisa terbesar didahulukan. Ongkir, diskon ongkir, "
             "kode unik dan biaya gateway tidak dibagi.")


def period_text(close) -> str:
    return f"{MONTHS[close.month]} {close.year}"


def statement_rows(close, figure) -> list[tuple[str, object]]:
    """(key, value) rows: the same in the CSV and, formatted, in the PDF."""
    rows = [("fasilitas", figure.facility_name), ("periode", f"{close.year}-{close.month:02d}"),
            ("pembagian", figure.rule)]
    rows += [(name, getattr(figure, name)) for name in COUNT_FIELDS + FIGURE_FIELDS]
    rows.append(("checksum", figure.checksum))
    return rows


def _latin1(text: str) -> str:
    """The PDF core fonts know Latin-1 only: anything else becomes '?'."""
    return str(text).encode("latin-1", "replace").decode("latin-1")


def statement_pdf(close, figure, now=None) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(_latin1(f"Laporan {figure.facility_name} {period_text(close)}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, "Etalase Binaan - Laporan penjualan bulanan", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 7, _latin1(f"Lapas/Rutan: {figure.facility_name}"), new_x="LMARGIN",
             new_y="NEXT")
    pdf.cell(0, 7, _latin1(f"Periode: {period_text(close)} (WIT), ditutup "
                           f"{to_wit(close.closed_at):%d-%m-%Y %H:%M} WIT"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for name in COUNT_FIELDS + FIGURE_FIELDS:
        value = getattr(figure, name)
        bold = name in ("goods_revenue", "premi", "pnbp", "capital")
        pdf.set_font("Helvetica", "B" if bold else "", 10)
        pdf.cell(95, 6.5, _latin1(LABELS[name]), border="B")
        pdf.cell(40, 6.5, name, border="B")
        shown = str(value) if name in COUNT_FIELDS else format_rupiah(int(value))
        pdf.cell(0, 6.5, shown, border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, _latin1(RULE_TEXT.format(rule=figure.rule or "-")))
    pdf.ln(12)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(90, 6, "Kepala Lapas/Rutan", align="C")
    pdf.cell(0, 6, "Kanwil Ditjenpas Maluku Utara", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(22)
    pdf.cell(90, 6, "(..............................)", align="C")
    pdf.cell(0, 6, "(..............................)", align="C")
    pdf.set_y(-22)
    pdf.set_font("Helvetica", "", 8)
    generated = to_wit(now or utcnow())
    pdf.cell(0, 4, f"Dibuat {generated:%d-%m-%Y %H:%M} WIT - halaman 1/1", new_x="LMARGIN",
             new_y="NEXT")
    pdf.cell(0, 4, f"checksum {figure.checksum}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
