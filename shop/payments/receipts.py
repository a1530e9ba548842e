"""PDF receipts (kuitansi) for paid orders and delivery notes (surat jalan) per parcel, with
fpdf2 and the bundled DejaVu Sans (Unicode: "—", "×", any name a customer types)."""

from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from fpdf import FPDF

from shop.core.labels import DELIVERY_LABELS, PARCEL_STATUS_LABELS
from shop.core.money import format_rupiah
from shop.core.time import to_wit
from shop.orders.links import order_link
from shop.payments import methods
from shop.payments.services import current_payment

FONT = "DejaVu"


def _font_dir() -> Path:
    return Path(current_app.static_folder) / "fonts"


class _Doc(FPDF):
    def __init__(self, title: str):
        super().__init__(format="A4")
        folder = _font_dir()
        self.add_font(FONT, "", str(folder / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(folder / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_author("Etalase Binaan")
        self.set_auto_page_break(True, margin=15)
        self.add_page()
        self.set_font(FONT, "B", 15)
        self.cell(0, 8, "Etalase Binaan", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 9)
        config = current_app.config
        for line in (config["SELLER_NAME"], config["SELLER_ADDRESS"], config["SHOP_BASE_URL"]):
            self.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        self.ln(4)
        self.set_font(FONT, "B", 13)
        self.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 10)

    def pair(self, label, value):
        self.set_font(FONT, "B", 10)
        self.cell(45, 6, str(label))
        self.set_font(FONT, "", 10)
        self.multi_cell(0, 6, str(value), new_x="LMARGIN", new_y="NEXT")

    def row(self, cells, widths, bold=False):
        self.set_font(FONT, "B" if bold else "", 9)
        for i, (text, width) in enumerate(zip(cells, widths, strict=True)):
            self.cell(width, 6, str(text), border="B", align="R" if i else "L")
        self.ln()

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def _wit(value):
    return to_wit(value).strftime("%d-%m-%Y %H:%M") + " WIT" if value else "—"


def _address(order) -> str:
    rt = f", RT/RW {order.rt_rw}" if order.rt_rw else ""
    return (f"{order.contact_name}\n{order.street}{rt}\n{order.kelurahan}, {order.kecamatan}\n"
            f"{order.city}, {order.province} {order.postal_code}")


WIDTHS = (95, 20, 35, 35)


def _lines(pdf: _Doc, fo, prices=True):
    if prices:
        pdf.row((_("Barang"), _("Jumlah"), _("Harga"), _("Subtotal")), WIDTHS, bold=True)
        for line in fo.lines:
            pdf.row((line.product_name[:60], f"{line.quantity} {line.unit}",
                     format_rupiah(line.unit_price), format_rupiah(line.line_total)), WIDTHS)
    else:
        pdf.row((_("Barang"), _("Jumlah")), (150, 35), bold=True)
        for line in fo.lines:
            pdf.row((line.product_name[:80], f"{line.quantity} {line.unit}"), (150, 35))


def receipt_pdf(order) -> bytes:
    """The receipt of a paid order: seller, buyer, every parcel with its lines, shipping and
    discount, the total, how and when it was paid, "Lunas"."""
    pdf = _Doc(_("Kuitansi pesanan %(n)s", n=order.number))
    pdf.pair(_("Nomor pesanan"), order.number)
    pdf.pair(_("Tanggal pesanan"), _wit(order.created_at))
    pdf.pair(_("Pembeli"), f"{order.contact_name} · {order.email} · {order.phone}")
    payment = current_payment(order)
    pdf.pair(_("Cara bayar"), methods.method_of(payment or order).label)
    pdf.pair(_("Dibayar pada"), _wit(order.paid_at))
    for fo in order.facility_orders:
        pdf.ln(3)
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 7, fo.facility.name + " — " + _("paket") + " " + fo.number, new_x="LMARGIN",
                 new_y="NEXT")
        _lines(pdf, fo)
        pdf.row((_("Ongkos kirim") + f" ({DELIVERY_LABELS[fo.delivery]})", "", "",
                 format_rupiah(fo.shipping)), WIDTHS)
        if fo.discount:
            pdf.row((_("Diskon"), "", "", "-" + format_rupiah(fo.discount)), WIDTHS)
        if fo.status == "cancelled":
            pdf.row((_("Status") + f": {PARCEL_STATUS_LABELS['cancelled']}", "", "", ""), WIDTHS)
        pdf.row((_("Jumlah paket"), "", "", format_rupiah(fo.total)), WIDTHS, bold=True)
    pdf.ln(3)
    pdf.pair(_("Subtotal barang"), format_rupiah(order.subtotal))
    pdf.pair(_("Ongkos kirim"), format_rupiah(order.shipping_total))
    if order.discount_total:
        pdf.pair(_("Diskon"), "-" + format_rupiah(order.discount_total))
    pdf.pair(_("Total dibayar"), format_rupiah(order.total))
    pdf.ln(4)
    pdf.set_font(FONT, "B", 20)
    pdf.set_text_color(20, 110, 50)
    pdf.cell(0, 12, _("LUNAS"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(0, 4, _("Harga sudah final; toko tidak memungut PPN. Lihat pesanan: "
                           "%(link)s", link=order_link(order)))
    return pdf.output_bytes()


def delivery_note_pdf(order, fo) -> bytes:
    """The delivery note of one parcel: from which facility, to whom, what is inside."""
    pdf = _Doc(_("Surat jalan paket %(n)s", n=fo.number))
    pdf.pair(_("Nomor paket"), fo.number)
    pdf.pair(_("Nomor pesanan"), order.number)
    pdf.pair(_("Dari"), f"{fo.facility.name}\n{fo.facility.address or ''}".strip())
    pdf.pair(_("Pengiriman"), DELIVERY_LABELS[fo.delivery])
    if fo.courier:
        pdf.pair(_("Kurir"), f"{fo.courier} {fo.tracking_number or ''}".strip())
    pdf.pair(_("Kepada"), _address(order))
    pdf.ln(3)
    _lines(pdf, fo, prices=False)
    return pdf.output_bytes()
