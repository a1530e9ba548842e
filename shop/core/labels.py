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
    "accepted": _l("Diterima"),
    "packed": _l("Dikemas"),
    "shipped": _l("Dikirim"),
    "delivered": _l("Sampai"),
    "ready_for_pickup": _l("Siap diambil"),
    "picked_up": _l("Selesai diambil"),
    "cancelled": _l("Dibatalkan"),
}
DELIVERY_LABELS = {"courier": _l("Kurir"), "pickup": _l("Ambil di tempat")}
