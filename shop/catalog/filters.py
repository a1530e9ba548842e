"""The catalogue's filters, parsed once for the page (lenient) and the API (strict)."""

from dataclasses import dataclass, fields

from flask_babel import gettext as _

from shop.core.i18n import lazy_gettext as _l

SORTS = {
    "relevance": _l("Paling cocok"),
    "newest": _l("Terbaru"),
    "price_asc": _l("Harga termurah"),
    "price_desc": _l("Harga termahal"),
    "name": _l("Nama (A–Z)"),
}
TRUE_WORDS = {"1", "true", "yes", "on", "ya"}
FALSE_WORDS = {"0", "false", "no", "off", "tidak", ""}
MAX_PRICE = 2**31 - 1  # the price column is a 32-bit integer on PostgreSQL
MAX_PAGE = 100_000
MAX_QUERY_LENGTH = 100


class FilterError(ValueError):
    """A filter value the API refuses; `field` names it, the message is Indonesian."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ProductFilter:
    q: str = ""
    facility: str = ""
    category: str = ""
    flagship: bool = False
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool = False
    sort: str = "newest"
    page: int = 1
    per_page: int = 24

    def query_args(self, **overrides):
        """The non-default filters as URL arguments (for links that keep the filters)."""
        args = {}
        for field in fields(self):
            if field.name == "per_page":
                continue
            value = overrides.get(field.name, getattr(self, field.name))
            if value in (None, "", False):
                continue
            if (field.name, value) in (("sort", self.default_sort), ("page", 1)):
                continue
            args[field.name] = "1" if value is True else value
        return args

    @property
    def default_sort(self):
        """With search words the best matches come first; without, the newest."""
        return "relevance" if self.q else "newest"

    @property
    def has_refinements(self):
        """Filters other than the search words."""
        return bool(
            self.facility or self.category or self.flagship or self.in_stock
            or self.min_price is not None or self.max_price is not None
        )

    @property
    def is_filtered(self):
        return bool(self.q) or self.has_refinements


def _int_arg(args, name, *, strict, minimum, maximum):
    raw = args.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        if strict:
            raise FilterError(name, _("'%(name)s' harus berupa bilangan bulat.",
                                        name=name)) from None
        return None
    if value < minimum or value > maximum:
        if strict:
            raise FilterError(name, _("'%(name)s' harus antara %(lo)s dan %(hi)s.", name=name,
                                        lo=minimum, hi=maximum))
        return max(minimum, min(value, maximum))
    return value


def _bool_arg(args, name, *, strict):
    raw = (args.get(name) or "").strip().lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    if strict:
        raise FilterError(name, _("'%(name)s' harus 1/0 atau true/false.", name=name))
    return False


def _slug_arg(args, name, *, strict):
    raw = (args.get(name) or "").strip()
    if len(raw) > 100 or any(c not in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in raw):
        if strict:
            raise FilterError(name, _("'%(name)s' bukan slug yang dikenal.", name=name))
        return "-"  # no slug is "-": an unusable value simply finds no products
    return raw


def parse_product_filter(args, *, strict=False, per_page=24, max_per_page=100):
    """Read filters from request args.

    Lenient (pages): bad values are ignored or clamped. Strict (API): raise FilterError.
    """
    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        if strict:
            raise FilterError("q", _("Kata kunci maksimal %(n)s karakter.", n=MAX_QUERY_LENGTH))
        q = q[:MAX_QUERY_LENGTH]
    q = q.replace("\x00", "")
    default_sort = "relevance" if q else "newest"
    sort = (args.get("sort") or default_sort).strip()
    if sort not in SORTS:
        if strict:
            raise FilterError("sort", _("'sort' harus salah satu dari: %(known)s.",
                                          known=", ".join(SORTS)))
        sort = default_sort
    if sort == "relevance" and not q:
        sort = "newest"
    min_price = _int_arg(args, "min_price", strict=strict, minimum=0, maximum=MAX_PRICE)
    max_price = _int_arg(args, "max_price", strict=strict, minimum=0, maximum=MAX_PRICE)
    page = _int_arg(args, "page", strict=strict, minimum=1, maximum=MAX_PAGE) or 1
    if strict:
        per_page = (
            _int_arg(args, "per_page", strict=True, minimum=1, maximum=max_per_page) or per_page
        )
    return ProductFilter(
        q=q,
        facility=_slug_arg(args, "facility", strict=strict),
        category=_slug_arg(args, "category", strict=strict),
        flagship=_bool_arg(args, "flagship", strict=strict),
        min_price=min_price,
        max_price=max_price,
        in_stock=_bool_arg(args, "in_stock", strict=strict),
        sort=sort,
        page=page,
        per_page=per_page,
    )
