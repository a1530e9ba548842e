"""What a promotion is in words: its state (as the cart would judge it now) and the labels of
its settings, in the visitor's language."""

from shop.core.i18n import lazy_gettext as _l
from shop.core.time import utcnow

APPROVAL_LABELS = {"draft": _l("Draf"), "pending": _l("Menunggu persetujuan"),
                   "approved": _l("Disetujui"), "rejected": _l("Ditolak")}
STATE_LABELS = {**APPROVAL_LABELS, "paused": _l("Dihentikan sementara"),
                "scheduled": _l("Terjadwal"), "live": _l("Berjalan"), "ended": _l("Selesai"),
                "used_up": _l("Kuota habis")}
BENEFIT_LABELS = {"percent": _l("Diskon persen"), "amount": _l("Potongan rupiah"),
                  "free_shipping": _l("Gratis ongkir kurir")}
SCOPE_LABELS = {"all": _l("Semua produk"), "facilities": _l("Lapas/Rutan tertentu"),
                "categories": _l("Kategori tertentu"), "products": _l("Produk tertentu")}
FUNDING_LABELS = {"partner": _l("Ditanggung mitra (Lapas/Rutan tetap menerima harga penuh)"),
                  "facility": _l("Ditanggung Lapas/Rutan")}
REDEMPTION_LABELS = {"automatic": _l("Otomatis di keranjang"), "code": _l("Dengan kode")}


def template_labels() -> dict:
    """The label tables the promotion pages (partner desk, Kanwil) use."""
    return {"state_labels": STATE_LABELS, "benefit_labels": BENEFIT_LABELS,
            "scope_labels": SCOPE_LABELS, "funding_labels": FUNDING_LABELS,
            "redemption_labels": REDEMPTION_LABELS}


def state_of(promotion, now=None) -> str:
    """draft / pending / rejected, or for an approved one: paused, scheduled, live, used_up,
    ended (evaluated like the cart does: start inclusive, end exclusive)."""
    if promotion.approval != "approved":
        return promotion.approval
    now = now or utcnow()
    if not promotion.is_active:
        return "paused"
    if now < promotion.starts_at:
        return "scheduled"
    if now >= promotion.ends_at:
        return "ended"
    if promotion.max_uses is not None and promotion.uses >= promotion.max_uses:
        return "used_up"
    if promotion.budget is not None and promotion.discount_given >= promotion.budget:
        return "used_up"
    return "live"
