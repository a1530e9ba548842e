"""What a partner sets on a promotion (PromotionData) and the checks it must pass before it is
saved: each check tidies its fields or raises PromotionError naming the input."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from shop.catalog.models import Category, Product
from shop.core.i18n import lazy_gettext as _l
from shop.extensions import db
from shop.facilities.models import Facility
from shop.promotions.codes import normalize_code
from shop.promotions.errors import PromotionError

MAX_AMOUNT = 100_000_000
MAX_LIMIT = 1_000_000
TARGET_KIND = {"facilities": "facility", "categories": "category", "products": "product"}
TARGET_MODEL = {"facility": Facility, "category": Category, "product": Product}
MISSING_TARGET = {"facilities": _l("Pilih minimal satu Lapas/Rutan."),
                  "categories": _l("Pilih minimal satu kategori."),
                  "products": _l("Pilih minimal satu produk.")}


@dataclass
class PromotionData:
    """What a partner sets on a promotion (times are naive UTC, money whole rupiah)."""

    name: str
    description: str
    starts_at: object
    ends_at: object
    benefit: str
    value: int
    scope: str
    targets: tuple  # sorted (kind, id): ("facility", 3), ("category", 5), ("product", 9)
    min_subtotal: int = 0
    first_order_only: bool = False
    signed_in_only: bool = False
    max_uses: int | None = None
    max_uses_per_customer: int | None = None
    budget: int | None = None
    funding: str = "partner"
    redemption: str = "code"
    combinable: bool = False
    shared_code: str | None = None  # only with redemption "code" and one shared code

    COLUMNS = ("name", "description", "starts_at", "ends_at", "benefit", "value", "scope",
               "min_subtotal", "first_order_only", "signed_in_only", "max_uses",
               "max_uses_per_customer", "budget", "funding", "redemption", "combinable")


def _check_name(data: PromotionData) -> None:
    data.name = (data.name or "").strip()
    data.description = (data.description or "").strip()
    if not data.name:
        raise PromotionError(_("Nama promo wajib diisi."), "name")
    if len(data.name) > 160:
        raise PromotionError(_("Nama promo maksimal 160 karakter."), "name")


def _check_dates(data: PromotionData) -> None:
    if data.starts_at is None or data.ends_at is None:
        raise PromotionError(_("Isi tanggal mulai dan selesai."), "starts_at")
    if data.ends_at <= data.starts_at:
        raise PromotionError(_("Tanggal selesai harus setelah tanggal mulai."), "ends_at")


def _whole_between(value, low, high) -> bool:
    return isinstance(value, int) and low <= value <= high


def _check_benefit(data: PromotionData) -> None:
    if data.benefit == "percent":
        if not _whole_between(data.value, 1, 90):
            raise PromotionError(_("Diskon persen harus antara 1 dan 90."), "percent")
    elif data.benefit == "amount":
        if not _whole_between(data.value, 1, MAX_AMOUNT):
            raise PromotionError(_("Potongan harus antara Rp1 dan Rp100.000.000."), "amount")
    elif data.benefit == "free_shipping":
        data.value = 0
    else:
        raise PromotionError(_("Pilih jenis manfaat promo."), "benefit")


def _check_targets_exist(kind, ids) -> None:
    model = TARGET_MODEL[kind]
    found = db.session.scalar(select(func.count(model.id)).where(model.id.in_(ids)))
    if found != len(set(ids)):
        raise PromotionError(_("Ada pilihan cakupan yang tidak dikenal."), "scope")


def _check_scope(data: PromotionData) -> None:
    if data.scope not in ("all", *TARGET_KIND):
        raise PromotionError(_("Pilih cakupan promo."), "scope")
    if data.scope == "all":
        data.targets = ()
        return
    kind = TARGET_KIND[data.scope]
    data.targets = tuple(sorted({t for t in data.targets if t[0] == kind}))
    if not data.targets:
        raise PromotionError(MISSING_TARGET[data.scope], data.scope)
    _check_targets_exist(kind, [target_id for _, target_id in data.targets])


def _check_limits(data: PromotionData) -> None:
    if data.min_subtotal is None or not 0 <= data.min_subtotal <= MAX_AMOUNT:
        raise PromotionError(_("Minimal belanja antara Rp0 dan Rp100.000.000."), "min_subtotal")
    for name, label in (("max_uses", _l("Kuota pemakaian")),
                        ("max_uses_per_customer", _l("Batas per pelanggan"))):
        value = getattr(data, name)
        if value is not None and not 1 <= value <= MAX_LIMIT:
            raise PromotionError(
                _("%(field)s minimal 1 (kosongkan bila tanpa batas).", field=label), name)
    if data.budget is not None and not 1 <= data.budget <= 10 * MAX_AMOUNT:
        raise PromotionError(_("Anggaran minimal Rp1 (kosongkan bila tanpa batas)."), "budget")
    if data.funding not in ("partner", "facility"):
        raise PromotionError(_("Pilih siapa yang menanggung potongan."), "funding")


def _check_redemption(data: PromotionData) -> None:
    if data.redemption not in ("automatic", "code"):
        raise PromotionError(_("Pilih cara promo dipakai."), "redemption")
    if data.redemption == "code":
        data.combinable = False  # "combinable" is about automatic promotions
    else:
        data.shared_code = None
    if data.shared_code is not None:
        code = normalize_code(data.shared_code)
        if code is None:
            raise PromotionError(_("Kode 3–40 karakter: huruf, angka, - atau _, diawali huruf "
                                 "atau angka."), "shared_code")
        data.shared_code = code


CHECKS = (_check_name, _check_dates, _check_benefit, _check_scope, _check_limits,
          _check_redemption)


def validate(data: PromotionData) -> None:
    """Tidy `data` in place, or raise PromotionError at the first problem (in form order)."""
    for check in CHECKS:
        check(data)
