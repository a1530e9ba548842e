"""Labels for status values and other codes, in the visitor's language (the API keeps the codes)."""

from flask_babel import lazy_gettext as _l

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
