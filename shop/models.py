"""Imports every area's models so that the metadata (and Alembic) knows all tables."""

from shop.accounts.models import ApiToken, User, UserSession  # noqa: F401
from shop.cart.models import Cart, CartLine  # noqa: F401
from shop.catalog.models import (  # noqa: F401
    Category,
    FlagshipRequest,
    Product,
    ProductImage,
    StockAdjustment,
)
from shop.core.audit import AuditEntry  # noqa: F401
from shop.core.jobs import JobState  # noqa: F401
from shop.core.models import CacheVersion  # noqa: F401
from shop.facilities.models import Facility, ShippingRate  # noqa: F401
from shop.mail.models import OutboxMessage  # noqa: F401
from shop.orders.models import FacilityOrder, FacilityOrderEvent, Order, OrderLine  # noqa: F401
from shop.pages.models import ShopPage  # noqa: F401
from shop.payments.closing_models import MonthClose, MonthCloseFigure  # noqa: F401
from shop.payments.models import (  # noqa: F401
    Payment,
    PaymentEvent,
    Refund,
    StatementLine,
    TransferCode,
)
from shop.promotions.models import (  # noqa: F401
    ParcelDiscount,
    Promotion,
    PromotionCode,
    PromotionTarget,
    Redemption,
)
from shop.promotions.partners import PartnerOrganization  # noqa: F401
