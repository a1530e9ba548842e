"""Labels for status values and other codes, in the visitor's language (the API keeps the codes)."""

from shop.core.i18n import lazy_gettext as _l

ORDER_STATUS_LABELS = {
    "pending_payment": _l("Menunggu pembayaran"),
    "paid": _l("Dibayar"),
    "partially_shipped": _l("Dikirim sebagian"),
    "shipped": _l("Dikirim"),
    "completed": _l("Selesai"),
    "cancelled": _l("Dibatalkan"),
    "expired": _l("Kedaluwarsa"),
}
PARCEL_STATUS_LABELS = {
    "awaiting_payment": _l("Menunggu pembayaran"),
    "new": _l("Baru"),
    "accepted": _l("Dikonfirmasi"),
    "packed": _l("Dikemas"),
    "shipped": _l("Dikirim"),
    "delivered": _l("Sampai"),
    "ready_for_pickup": _l("Siap diambil"),
    "picked_up": _l("Sudah diambil"),
    "cancelled": _l("Dibatalkan"),
}
# The buyer's page and mails: a "new" parcel is waiting for the facility to confirm it.
BUYER_PARCEL_STATUS_LABELS = {**PARCEL_STATUS_LABELS, "new": _l("Menunggu konfirmasi")}
DELIVERY_LABELS = {"courier": _l("Kurir"), "pickup": _l("Ambil di tempat")}
# A payment attempt, as the Kanwil reads it.
PAYMENT_STATUS_LABELS = {
    "created": _l("Dibuat"),
    "requires_payment_method": _l("Menunggu pembeli membayar"),
    "requires_confirmation": _l("Menunggu konfirmasi"),
    "requires_action": _l("Menunggu autentikasi"),
    "processing": _l("Diproses"),
    "pending": _l("Menunggu pembayaran"),
    "awaiting_transfer": _l("Menunggu transfer"),
    "awaiting_pickup": _l("Dibayar saat diambil"),
    "succeeded": _l("Berhasil"),
    "failed": _l("Gagal"),
    "canceled": _l("Dibatalkan"),
    "rejected": _l("Ditolak"),
    "amount_mismatch": _l("Jumlah tidak cocok"),
}
