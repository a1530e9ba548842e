"""A small world of paid parcels written straight to the database, and an independent Python
computation of what the reports must show (issue 11: money you can account for)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from shop.catalog.models import Category, Product
from shop.extensions import db
from shop.facilities.models import Facility
from shop.orders.models import FacilityOrder, FacilityOrderEvent, Order, OrderLine
from shop.payments.models import Payment, Refund
from shop.promotions.models import ParcelDiscount, Promotion
from shop.promotions.partners import PartnerOrganization

JAYAPURA = ZoneInfo("Asia/Jayapura")  # the test's own clock


def wit_utc(*args):
    return datetime(*args, tzinfo=JAYAPURA).astimezone(UTC).replace(tzinfo=None)


def wit_month_of(utc_naive):
    wit = utc_naive.replace(tzinfo=UTC).astimezone(JAYAPURA)
    return wit.year, wit.month


@dataclass
class ParcelSpec:
    facility: int
    lines: list  # (quantity, unit price)
    percents: tuple  # the split stored on the parcel (a split change shows as other percents)
    shipping: int = 0
    discounts: list = field(default_factory=list)  # (funding, goods part, shipping part)
    refunds: list = field(default_factory=list)  # (amount, status, made at: naive UTC)
    cancelled_at: datetime | None = None  # naive UTC, after the payment
    # The parcel's shares of its payment's unique code and gateway fee (shop.payments.fees):
    # reported apart, never split, not taken back by a cancellation.
    unique_code: int = 0
    gateway_fee: int = 0

    @property
    def subtotal(self):
        return sum(q * p for q, p in self.lines)

    @property
    def discount(self):
        return sum(g + s for _, g, s in self.discounts)


@dataclass
class OrderSpec:
    paid_at: datetime
    parcels: list


def build(facilities, orders, slug_prefix="f"):
    """facilities: [(name, percents)]; returns the facility rows."""
    rows = [Facility(slug=f"{slug_prefix}-{i}", name=name, kind="lapas", town="Ternate",
                     regency="Kota Ternate", premi_percent=p[0], pnbp_percent=p[1],
                     capital_percent=p[2]) for i, (name, p) in enumerate(facilities)]
    db.session.add_all(rows)
    category = Category(slug=f"{slug_prefix}-kat", name="Kerajinan")
    partner = PartnerOrganization(slug=f"{slug_prefix}-mitra", name="Mitra Uji")
    db.session.add_all([category, partner])
    db.session.flush()
    products = [Product(facility_id=f.id, category_id=category.id, slug=f"{f.slug}-produk",
                        name=f"Produk {f.name}", price=1000, unit="piece", stock=5)
                for f in rows]
    promotions = {funding: Promotion(partner_id=partner.id, slug=f"{slug_prefix}-{funding}",
                                     name=funding, starts_at=datetime(2024, 1, 1),
                                     ends_at=datetime(2030, 1, 1), approval="approved",
                                     benefit="amount", value=1000, funding=funding)
                  for funding in ("partner", "facility")}
    db.session.add_all([*products, *promotions.values()])
    db.session.flush()
    for n, spec in enumerate(orders):
        _order(n, spec, rows, products, promotions, slug_prefix)
    db.session.commit()
    return rows


def _order(n, spec, facilities, products, promotions, prefix):
    parcels = spec.parcels
    subtotal = sum(p.subtotal for p in parcels)
    shipping = sum(p.shipping for p in parcels)
    discount = sum(p.discount for p in parcels)
    order = Order(number=f"{prefix.upper()}-{n:05d}", token_hash="0" * 64, status="paid",
                  contact_name="Pembeli", email="pembeli@example.com", phone="081234567890",
                  street="Jl. Uji", kelurahan="K", kecamatan="K", city="Ternate",
                  province="Maluku Utara", postal_code="97712", subtotal=subtotal,
                  shipping_total=shipping, discount_total=discount,
                  total=subtotal + shipping - discount, expires_at=spec.paid_at,
                  paid_at=spec.paid_at)
    db.session.add(order)
    db.session.flush()
    payment = Payment(order_id=order.id, provider="stripe", intent_id=f"pi_{prefix}_{n}",
                      client_secret="s", amount=order.total, status="succeeded",
                      fee=sum(p.gateway_fee for p in parcels), fee_source="gateway")
    db.session.add(payment)
    for k, parcel in enumerate(parcels):
        facility = facilities[parcel.facility]
        fo = FacilityOrder(order_id=order.id, facility_id=facility.id,
                           number=f"{order.number}-{k + 1}",
                           status="cancelled" if parcel.cancelled_at else "delivered",
                           delivery="courier" if parcel.shipping else "pickup",
                           subtotal=parcel.subtotal, shipping=parcel.shipping,
                           discount=parcel.discount,
                           total=parcel.subtotal + parcel.shipping - parcel.discount,
                           premi_percent=parcel.percents[0], pnbp_percent=parcel.percents[1],
                           capital_percent=parcel.percents[2],
                           unique_code_share=parcel.unique_code,
                           gateway_fee=parcel.gateway_fee,
                           updated_at=parcel.cancelled_at or spec.paid_at)
        db.session.add(fo)
        db.session.flush()
        for quantity, price in parcel.lines:
            db.session.add(OrderLine(facility_order_id=fo.id,
                                     product_id=products[parcel.facility].id,
                                     product_slug="p", product_name="Produk", unit="piece",
                                     unit_price=price, quantity=quantity,
                                     line_total=price * quantity))
        for funding, goods, ship in parcel.discounts:
            db.session.add(ParcelDiscount(facility_order_id=fo.id,
                                          promotion_id=promotions[funding].id,
                                          amount=goods + ship, shipping_part=ship,
                                          funding=funding))
        for i, (amount, status, made_at) in enumerate(parcel.refunds):
            db.session.add(Refund(payment_id=payment.id, facility_order_id=fo.id,
                                  amount=amount, reason="uji", status=status,
                                  idempotency_key=f"part-{fo.number}-{i}", created_at=made_at))
        if parcel.cancelled_at:
            db.session.add(FacilityOrderEvent(facility_order_id=fo.id, from_status="new",
                                              to_status="cancelled",
                                              created_at=parcel.cancelled_at))
            db.session.add(Refund(payment_id=payment.id, facility_order_id=fo.id,
                                  amount=fo.total, reason="batal", status="succeeded",
                                  idempotency_key=f"refund-{fo.number}",
                                  created_at=parcel.cancelled_at))


# ------------------------------------------------------------------ the independent computation

def split_exact(amount, percents):
    """Largest remainder on exact fractions; a negative amount splits as its negation."""
    if amount < 0:
        return tuple(-part for part in split_exact(-amount, percents))
    exact = [Fraction(amount * p, 100) for p in percents]
    parts = [int(e) for e in exact]
    order = sorted(range(3), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:amount - sum(parts)]:
        parts[i] += 1
    return tuple(parts)


COUNTED = ("pending", "succeeded")


def expected(facilities, orders):
    """{(facility name, year, month): figures} with no month closed."""
    rows = {}
    for order in orders:
        year, month = wit_month_of(order.paid_at)
        for parcel in order.parcels:
            key = (facilities[parcel.facility][0], year, month)
            row = rows.setdefault(key, {"parcels": 0, "cancelled": 0, "units": 0, "gross": 0,
                                        "facility_discounts": 0, "partner_discounts": 0,
                                        "goods_refunds": 0, "shipping": 0,
                                        "shipping_discounts": 0, "partner_owed": 0,
                                        "unique_codes": 0, "gateway_fees": 0,
                                        "groups": {}})
            row["unique_codes"] += parcel.unique_code  # kept even when the parcel is cancelled
            row["gateway_fees"] += parcel.gateway_fee
            if parcel.cancelled_at:
                row["cancelled"] += 1
                continue
            row["parcels"] += 1
            row["units"] += sum(q for q, _ in parcel.lines)
            row["gross"] += parcel.subtotal
            row["shipping"] += parcel.shipping
            own = 0
            for funding, goods, ship in parcel.discounts:
                row["shipping_discounts"] += ship
                if funding == "partner":
                    row["partner_discounts"] += goods
                    row["partner_owed"] += goods + ship
                else:
                    row["facility_discounts"] += goods
                    own += goods
            refunds = sum(a for a, status, _ in parcel.refunds if status in COUNTED)
            row["goods_refunds"] += refunds
            group = row["groups"]
            group[parcel.percents] = group.get(parcel.percents, 0) + parcel.subtotal - own - refunds
    for row in rows.values():
        row["goods_revenue"] = row["gross"] - row["facility_discounts"] - row["goods_refunds"]
        parts = [split_exact(amount, percents) for percents, amount in row["groups"].items()]
        row["premi"], row["pnbp"], row["capital"] = (sum(p[i] for p in parts) for i in range(3))
        del row["groups"]
    return rows


def later(moment, days):
    return moment + timedelta(days=days)
