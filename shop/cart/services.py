"""The cart's verbs. Carts hold product and quantity; prices are read from the product."""

from dataclasses import dataclass, field
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import contains_eager, defer, joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from shop.cart.models import Cart, CartLine
from shop.catalog.models import Product
from shop.core.i18n import current_locale
from shop.core.time import utcnow
from shop.core.tokens import new_token
from shop.extensions import db
from shop.facilities.models import Facility


class CartError(ValueError):
    """The customer asked for something the cart cannot do; the message says why."""


# Long texts that carts and checkouts never show: not read with the products and facilities
# they load (every cart, line and checkout request loads them; these were most of the bytes).
# A read of one would cost a query per object: tests/checkout/test_round_trips.py counts them.


_UNSHOWN_PRODUCT = (Product.description, Product.description_en, Product.search_name,
                    Product.search_text)
_UNSHOWN_FACILITY = (Facility.profile, Facility.profile_en, Facility.programmes,
                     Facility.programmes_en, Facility.search_name)


def _unshown(columns):
    return [defer(column) for column in columns]


def _line_cap():
    return current_app.config.get("CART_LINE_CAP", 99)


def create_cart(user=None) -> Cart:
    # A new cart has no lines: known without asking the database when they are read.
    cart = Cart(token=new_token(), user_id=user.id if user else None, lines=[])
    db.session.add(cart)
    db.session.flush()
    return cart


def cart_by_token(token: str | None) -> Cart | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Cart).where(Cart.token == token))


def cart_for_user(user) -> Cart | None:
    return db.session.scalar(select(Cart).where(Cart.user_id == user.id))


def parse_quantity(raw) -> int:
    """Whole numbers written with ASCII digits only ("12", not "１２" or "1_0", which Python's
    int() would take); text, fractions and booleans are refused with a clear message."""
    if isinstance(raw, bool):
        raise CartError(_("Jumlah harus bilangan bulat."))
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()
        digits = text[1:] if text.startswith("-") else text
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 6):
            raise CartError(_("Jumlah harus bilangan bulat."))
        value = int(text)
    if value < 0:
        raise CartError(_("Jumlah tidak boleh negatif."))
    if value > _line_cap():
        raise CartError(_("Jumlah maksimal %(cap)s per produk.", cap=_line_cap()))
    return value


@cache
def _buyable_statement():
    """Built once (on every line change: building it costs more CPU than running it)."""
    return (
        select(Product).join(Product.facility)
        .options(contains_eager(Product.facility).options(*_unshown(_UNSHOWN_FACILITY)),
                 *_unshown(_UNSHOWN_PRODUCT))
        .where(Product.slug == bindparam("slug"), Product.status == "active",
               Facility.is_active.is_(True))
    )


def _buyable_product(slug: str) -> Product:
    product = db.session.scalar(_buyable_statement(), {"slug": slug})
    if product is None:
        raise CartError(_("Produk tidak ditemukan atau tidak dijual lagi."))
    return product


def set_quantity(cart: Cart, product_slug: str, quantity: int) -> CartLine | None:
    """Set a line's quantity (0 removes it). Refuses more than the stock or the line cap."""
    line = next((ln for ln in cart.lines if ln.product.slug == product_slug), None)
    if quantity == 0:
        if line is not None:
            cart.lines.remove(line)
            db.session.flush()
        return None
    product = _buyable_product(product_slug)
    if product.stock <= 0:
        raise CartError(_("%(name)s sedang habis.",
                          name=product.localized_name(current_locale())))
    if quantity > product.stock:
        raise CartError(_("Stok %(name)s tinggal %(n)s.",
                          name=product.localized_name(current_locale()), n=product.stock))
    if line is None:
        line = _add_line(cart, product, quantity)
    else:
        line.quantity = quantity
        line.price_seen = product.price
    db.session.flush()
    return line


@cache
def _add_line_statement(dialect: str):
    """A new line in one statement, built once per dialect (PostgreSQL, SQLite). A double
    click may add the same product at once: the line the other request added meanwhile gets
    this quantity instead (no savepoint to catch the clash, no unit-of-work flush)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(CartLine).values(
        cart_id=bindparam("cart_id"), product_id=bindparam("product_id"),
        quantity=bindparam("quantity"), price_seen=bindparam("price_seen"),
        created_at=bindparam("created_at"))
    return stmt.on_conflict_do_update(
        index_elements=[CartLine.cart_id, CartLine.product_id],
        set_={"quantity": stmt.excluded.quantity, "price_seen": stmt.excluded.price_seen},
    ).returning(CartLine.id, CartLine.created_at)


def _add_line(cart: Cart, product: Product, quantity: int) -> CartLine:
    """Write the line, then put it in the loaded cart as written (no reload)."""
    row = db.session.execute(_add_line_statement(db.session.get_bind().dialect.name), {
        "cart_id": cart.id, "product_id": product.id, "quantity": quantity,
        "price_seen": product.price, "created_at": utcnow()}).one()
    line = CartLine(id=row.id, cart_id=cart.id, product_id=product.id, quantity=quantity,
                    price_seen=product.price, created_at=row.created_at)
    make_transient_to_detached(line)
    db.session.add(line)  # persistent, as loaded: nothing left to write
    set_committed_value(line, "product", product)
    set_committed_value(line, "cart", cart)
    set_committed_value(cart, "lines", [*cart.lines, line])
    return line


def add_to_cart(cart: Cart, product_slug: str, quantity: int) -> CartLine:
    """Add to what is already in the cart for this product."""
    if quantity < 1:
        raise CartError(_("Jumlah minimal 1."))
    current = next((ln.quantity for ln in cart.lines if ln.product.slug == product_slug), 0)
    return set_quantity(cart, product_slug, parse_quantity(current + quantity))


def merge_into(guest: Cart, owner: Cart) -> None:
    """Sign-in: the guest cart's lines join the account's cart, quantities added and capped by
    the stock and the line cap. The guest cart is then deleted."""
    by_product = {line.product_id: line for line in owner.lines}
    for line in guest.lines:
        cap = min(_line_cap(), max(line.product.stock, 0))
        target = by_product.get(line.product_id)
        if target is None:
            if cap >= 1:
                owner.lines.append(CartLine(product_id=line.product_id,
                                            quantity=min(line.quantity, cap),
                                            price_seen=line.price_seen))
        else:
            target.quantity = max(1, min(target.quantity + line.quantity, cap))
    db.session.delete(guest)
    db.session.flush()


# ------------------------------------------------------------------ verbs that save

def add_item(cart: Cart, product_slug: str, raw_quantity) -> CartLine:
    """Add to the cart and save. The cart itself is saved first: it exists even if this
    addition is refused (CartError, nothing else changed)."""
    db.session.commit()
    try:
        line = add_to_cart(cart, product_slug, parse_quantity(raw_quantity))
        db.session.commit()
    except CartError:
        db.session.rollback()
        raise
    return line


def change_quantity(cart: Cart, product_slug: str, raw_quantity, commit: bool = True) -> None:
    """Set a line's quantity (0 removes it) and save; CartError leaves the cart as it was.
    `commit=False`: the change is flushed and the caller commits (after reading its answer
    in the same transaction, say)."""
    try:
        set_quantity(cart, product_slug, parse_quantity(raw_quantity))
        if commit:
            db.session.commit()
    except CartError:
        db.session.rollback()
        raise


def empty_cart(cart: Cart) -> None:
    db.session.execute(delete(CartLine).where(CartLine.cart_id == cart.id))


# ------------------------------------------------------------------ reading a cart

@dataclass
class LineView:
    line: CartLine
    product: Product
    price: int
    quantity: int
    problems: list = field(default_factory=list)

    @property
    def total(self):
        return self.price * self.quantity

    @property
    def blocks_checkout(self):
        return any(p in ("unavailable", "sold_out", "not_enough_stock") for p in self.problems)


@dataclass
class FacilityGroup:
    facility: Facility
    lines: list

    @property
    def subtotal(self):
        return sum(line.total for line in self.lines if not line.blocks_checkout)

    @property
    def weight_grams(self):
        return sum(line.product.weight_grams * line.quantity for line in self.lines)

    @property
    def has_perishable(self):
        return any(line.product.is_perishable for line in self.lines)


@dataclass
class CartView:
    cart: Cart
    groups: list

    @property
    def lines(self):
        return [line for group in self.groups for line in group.lines]

    @property
    def item_count(self):
        return sum(line.quantity for line in self.lines)

    @property
    def subtotal(self):
        return sum(group.subtotal for group in self.groups)

    @property
    def is_empty(self):
        return not self.lines

    @property
    def can_checkout(self):
        return not self.is_empty and not any(line.blocks_checkout for line in self.lines)


def load_cart(cart_id: int, images: bool = True) -> Cart | None:
    """The cart with its lines, products and facilities in one query (and the products'
    images in a second one when the page shows them)."""
    return _loaded("id", cart_id, images)


def load_cart_by_token(token: str | None, images: bool = True) -> Cart | None:
    """`cart_by_token` and `load_cart` in one query."""
    if not token or len(token) > 64:
        return None
    return _loaded("token", token, images)


@cache
def _loading_statement(by: str, images: bool):
    """The cart by id or token with what it shows, built once per variant (every cart, line
    and checkout request reads a cart: building the statement cost more CPU than running it)."""
    lines = joinedload(Cart.lines).joinedload(CartLine.product)
    options = [lines.options(*_unshown(_UNSHOWN_PRODUCT)),
               lines.joinedload(Product.facility).options(*_unshown(_UNSHOWN_FACILITY))]
    if images:
        options.append(lines.selectinload(Product.images))
    column = Cart.id if by == "id" else Cart.token
    return select(Cart).where(column == bindparam("cart_key")).options(*options)


def _loaded(by: str, value, images: bool) -> Cart | None:
    return db.session.scalars(
        _loading_statement(by, images), {"cart_key": value}
    ).unique().first()


def view_cart(cart: Cart) -> CartView:
    """Current prices and stock for every line, grouped by facility, with what changed."""
    groups: dict[int, FacilityGroup] = {}
    for line in cart.lines:
        product = line.product
        problems = []
        if product.status != "active" or not product.facility.is_active:
            problems.append("unavailable")
        elif product.stock <= 0:
            problems.append("sold_out")
        elif line.quantity > product.stock:
            problems.append("not_enough_stock")
        if product.price != line.price_seen:
            problems.append("price_changed")
        group = groups.setdefault(product.facility_id, FacilityGroup(product.facility, []))
        group.lines.append(LineView(line, product, product.price, line.quantity, problems))
    ordered = sorted(groups.values(), key=lambda g: g.facility.name)
    return CartView(cart, ordered)


def acknowledge_prices(cart: Cart) -> None:
    """The customer has seen the new prices: stop flagging them (saved)."""
    for line in cart.lines:
        line.price_seen = line.product.price
    db.session.commit()
