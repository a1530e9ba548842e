"""Configuration read from the environment.

Development is the default (embedded SQLite under instance/, localstripe). Production
refuses to start with the default secret key.
"""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("SHOP_INSTANCE_DIR", BASE_DIR / "instance"))
DEFAULT_SECRET_KEY = "dev-only-not-secret"


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _fees(name):
    """MIDTRANS_FEES="qris=0.7%,bank_transfer=4000,credit_card=2.9%+2000": the contracted fee
    per Midtrans payment_type as {channel: (basis points, fixed rupiah)}."""
    rates = {}
    for part in filter(None, (p.strip() for p in os.environ.get(name, "").split(","))):
        channel, _, rate = part.partition("=")
        points = fixed = 0
        for piece in rate.replace(" ", "").split("+"):
            if piece.endswith("%"):
                points = round(float(piece[:-1]) * 100)
            elif piece:
                fixed = int(piece)
        rates[channel.strip()] = (points, fixed)
    return rates


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'shop.db'}"
    )
    # No pre-ping (a round trip per request): PostgreSQL connections the server closed are
    # found and replaced when taken from the pool, from their socket (shop/core/database.py).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(INSTANCE_DIR / "media"))

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jayapura"
    LANGUAGES = ("id", "en")

    SESSION_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_int("SESSION_HOURS", 12))
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # uploads above this get a friendly 413 page
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_TIME_LIMIT = None

    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    CACHE_THRESHOLD = 2000
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True

    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "sk_test_localstripe")
    STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "pk_test_localstripe")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_localstripe_dev")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "http://127.0.0.1:8420")
    STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "http://127.0.0.1:8420/js.stripe.com/v3/")
    # Each try at Stripe has this deadline (connect, head and body), with one retry.
    STRIPE_TIMEOUT_SECONDS = _int("STRIPE_TIMEOUT_SECONDS", 8)
    STRIPE_MAX_NETWORK_RETRIES = _int("STRIPE_MAX_NETWORK_RETRIES", 1)

    # Midtrans (QRIS, virtual accounts, e-wallets). The defaults point at scripts/fake-midtrans
    # on 127.0.0.1:8430 with a development-only key; set all of these for the real sandbox or
    # production. The bases are hosts (https://api.midtrans.com, https://app.midtrans.com);
    # left empty, midtransclient's own sandbox/production hosts are used.
    MIDTRANS_SERVER_KEY = os.environ.get("MIDTRANS_SERVER_KEY", "SB-Mid-server-fake-dev")
    MIDTRANS_CLIENT_KEY = os.environ.get("MIDTRANS_CLIENT_KEY", "SB-Mid-client-fake-dev")
    MIDTRANS_API_BASE = os.environ.get("MIDTRANS_API_BASE", "http://127.0.0.1:8430")
    MIDTRANS_SNAP_BASE = os.environ.get("MIDTRANS_SNAP_BASE", "http://127.0.0.1:8430")
    MIDTRANS_IS_PRODUCTION = _bool("MIDTRANS_IS_PRODUCTION")
    # Whole time allowed for one call to Midtrans (connect + answer), in seconds.
    MIDTRANS_TIMEOUT_SECONDS = _int("MIDTRANS_TIMEOUT_SECONDS", 10)
    # The contract's fees per channel (shop.payments.fees; unset channels: Midtrans' rates)
    MIDTRANS_FEES = _fees("MIDTRANS_FEES")

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Etalase Binaan <toko@etalasebinaan.test>"
    )

    # Business settings
    # Unset: the current year in WIT (shop.core.time.flagship_target_year), rolling over itself.
    FLAGSHIP_TARGET_YEAR = _int("FLAGSHIP_TARGET_YEAR", None)
    FLAGSHIP_TARGET_COUNT = _int("FLAGSHIP_TARGET_COUNT", 2)
    LOW_STOCK_THRESHOLD = _int("LOW_STOCK_THRESHOLD", 5)
    PRODUCTS_PER_PAGE = 24
    API_MAX_PER_PAGE = 100
    # Seconds a rendered catalogue page may live in the page cache (a content change
    # invalidates it at once); how many of them each process also keeps its own copy of.
    CATALOG_CACHE_SECONDS = _int("CATALOG_CACHE_SECONDS", 10)
    CATALOG_LOCAL_PAGES = _int("CATALOG_LOCAL_PAGES", 500)
    # PostgreSQL: each process keeps the stock and content version of the pages it served,
    # kept exact by the database's notifications, so a hit needs no round trip (0 to turn
    # it off); what it keeps is read again after CATALOG_LIVE_SECONDS at the latest.
    CATALOG_LIVE_NOTIFY = _bool("CATALOG_LIVE_NOTIFY", True)
    CATALOG_LIVE_SECONDS = _int("CATALOG_LIVE_SECONDS", 5)
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD")
    CART_LINE_CAP = 99
    # UU PDP retention (flask --app wsgi data cleanup)
    RETENTION_CART_DAYS = _int("RETENTION_CART_DAYS", 30)
    RETENTION_EXPIRED_ORDER_DAYS = _int("RETENTION_EXPIRED_ORDER_DAYS", 90)
    PAYMENT_WINDOW_MINUTES = _int("PAYMENT_WINDOW_MINUTES", 30)
    # Stripe's minimum charge is about USD 0.50; below this an order cannot be paid by card.
    MIN_ORDER_TOTAL = _int("MIN_ORDER_TOTAL", 10_000)
    PAYMENT_GATEWAY = os.environ.get("PAYMENT_GATEWAY", "stripe")  # the gateway of `card`
    # Ways to pay, in the order the checkout shows them (shop/payments/methods.py).
    PAYMENT_METHODS = os.environ.get("PAYMENT_METHODS",
                                     "bank_transfer,midtrans,card,pay_at_pickup")
    # Bank transfers go to one account of the Kanwil and are held this long.
    BANK_TRANSFER_HOURS = _int("BANK_TRANSFER_HOURS", 24)
    BANK_TRANSFER_REMINDER_HOURS = _int("BANK_TRANSFER_REMINDER_HOURS", 6)
    BANK_NAME = os.environ.get("BANK_NAME", "Bank Rakyat Indonesia (BRI)")
    BANK_ACCOUNT_NUMBER = os.environ.get("BANK_ACCOUNT_NUMBER", "0000-01-000000-30-0")
    BANK_ACCOUNT_HOLDER = os.environ.get("BANK_ACCOUNT_HOLDER", "RPL Kanwil Ditjenpas Malut (demo)")
    # Paying at the facility's counter: the stock is held this many days.
    PICKUP_PAYMENT_DAYS = _int("PICKUP_PAYMENT_DAYS", 3)
    PROOF_MAX_BYTES = _int("PROOF_MAX_BYTES", 5 * 1024 * 1024)
    # Per account: this many wrong passwords in a row lock it for SIGNIN_LOCK_MINUTES (the
    # owner is mailed); per address the sign-in form allows SIGNIN_PER_MINUTE attempts.
    SIGNIN_MAX_FAILURES = _int("SIGNIN_MAX_FAILURES", 10)
    SIGNIN_LOCK_MINUTES = _int("SIGNIN_LOCK_MINUTES", 15)
    SIGNIN_PER_MINUTE = _int("SIGNIN_PER_MINUTE", 20)
    HSTS_SECONDS = _int("HSTS_SECONDS", 31_536_000)  # sent in production only
    # JSON bodies nested deeper than this are a 400 (never a RecursionError).
    JSON_MAX_DEPTH = 32
    # Used for links in mails sent from the command line.
    SHOP_BASE_URL = os.environ.get("SHOP_BASE_URL", "http://127.0.0.1:5000")
    # The seller named on receipts and delivery notes (PP 80/2019: a truthful identity).
    SELLER_NAME = os.environ.get("SELLER_NAME",
                                 "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Maluku Utara")
    SELLER_ADDRESS = os.environ.get("SELLER_ADDRESS", "Kota Ternate, Maluku Utara")
    # A shipped parcel nobody marked delivered is delivered after this many days.
    AUTO_COMPLETE_DAYS = _int("AUTO_COMPLETE_DAYS", 7)
    # Order lookups (/orders/lookup) per address and minute.
    ORDER_LOOKUP_PER_MINUTE = _int("ORDER_LOOKUP_PER_MINUTE", 10)

    # Running it for real (deploy/, README "Running it for real")
    PROXY_FIX_X_FOR = _int("PROXY_FIX_X_FOR", 0)  # proxies in front (nginx: 1)
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "")  # json | text | "" (leave as is)
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN")  # /metrics: this bearer token or loopback
    SENTRY_DSN = os.environ.get("SENTRY_DSN")  # error tracker, off when empty
    SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT")
    SENTRY_TRACES_SAMPLE_RATE = float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0)
    MEDIA_BACKEND = os.environ.get("MEDIA_BACKEND", "local")  # local | s3
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")  # empty: AWS itself
    S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID")
    S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY")
    S3_REGION = os.environ.get("S3_REGION", "us-east-1")
    S3_PUBLIC_BASE_URL = os.environ.get("S3_PUBLIC_BASE_URL")  # public photos straight from here
    S3_PRESIGN_SECONDS = _int("S3_PRESIGN_SECONDS", 300)  # life of a private file's link


class DevelopmentConfig(Config):
    DEBUG = False
    ENV_NAME = "development"


class TestingConfig(Config):
    FLAGSHIP_TARGET_YEAR = 2025  # fixed, so tests do not change with the calendar
    TESTING = True
    PAYMENT_METHODS = "card,bank_transfer,midtrans,pay_at_pickup"
    STRIPE_MAX_NETWORK_RETRIES = 0
    # Nothing listens here: tests that need Midtrans start scripts/fake-midtrans.
    MIDTRANS_API_BASE = "http://127.0.0.1:9"
    MIDTRANS_SNAP_BASE = "http://127.0.0.1:9"
    MIDTRANS_SERVER_KEY = "SB-Mid-server-etalase-test"
    MIDTRANS_CLIENT_KEY = "SB-Mid-client-etalase-test"
    MIDTRANS_IS_PRODUCTION = False
    MIDTRANS_TIMEOUT_SECONDS = 5
    ENV_NAME = "testing"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    CATALOG_CACHE_SECONDS = 0
    # Hits read the database (the query counts tests pin); tests/catalog/test_live_mirror.py
    # turns the copy kept by notifications on.
    CATALOG_LIVE_NOTIFY = False


def _host_of(url):
    return (url or "").split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def _placeholder(value) -> bool:
    """A value still as deploy/etalase.env.example ships it."""
    return "change-me" in (value or "") or "changeme" in (value or "")


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "0.0.0.0", "::1", "")


class ProductionConfig(Config):
    ENV_NAME = "production"
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SHOP_BASE_URL = os.environ.get("SHOP_BASE_URL", "")
    # Host headers accepted (Flask refuses others with 400); default: SHOP_BASE_URL's host.
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",")
                     if h.strip()] or [_host_of(os.environ.get("SHOP_BASE_URL", ""))]
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
    STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")
    MIDTRANS_API_BASE = os.environ.get("MIDTRANS_API_BASE", "")
    MIDTRANS_SNAP_BASE = os.environ.get("MIDTRANS_SNAP_BASE", "")
    MIDTRANS_SERVER_KEY = os.environ.get("MIDTRANS_SERVER_KEY", "")
    MIDTRANS_CLIENT_KEY = os.environ.get("MIDTRANS_CLIENT_KEY", "")
    MIDTRANS_IS_PRODUCTION = _bool("MIDTRANS_IS_PRODUCTION", True)
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
    STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
    # gunicorn reads WEB_CONCURRENCY too; memory:// counts per worker, so more than one worker
    # needs a shared store (redis://).
    WEB_CONCURRENCY = _int("WEB_CONCURRENCY", 2)

    @classmethod
    def problems(cls) -> list[str]:
        """Every setting that makes this instance unsafe to run in production."""
        found = []
        if cls.SECRET_KEY == DEFAULT_SECRET_KEY or len(cls.SECRET_KEY) < 32 or \
                _placeholder(cls.SECRET_KEY):
            found.append("SECRET_KEY must be set to a long random value")
        if not cls.SHOP_BASE_URL.startswith("https://") or \
                _host_of(cls.SHOP_BASE_URL) in LOOPBACK_HOSTS:
            found.append("SHOP_BASE_URL must be the shop's public https:// address")
        methods = {m.strip() for m in (cls.PAYMENT_METHODS or "").split(",")}
        if "card" in methods:
            found += cls._stripe_problems()
        if "midtrans" in methods:
            found += cls._midtrans_problems()
        if cls.RATELIMIT_STORAGE_URI.startswith("memory://") and cls.WEB_CONCURRENCY > 1:
            found.append("RATELIMIT_STORAGE_URI must be a shared store (redis://...) with more "
                         "than one worker")
        return found

    @classmethod
    def _stripe_problems(cls):
        found = [f"{name} is still the template's placeholder" for name in
                 ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")
                 if _placeholder(getattr(cls, name))]
        if not cls.STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_")):
            found.append("STRIPE_SECRET_KEY must be a live key (sk_live_...)")
        if not cls.STRIPE_PUBLISHABLE_KEY.startswith("pk_live_"):
            found.append("STRIPE_PUBLISHABLE_KEY must be a live key (pk_live_...)")
        secret = cls.STRIPE_WEBHOOK_SECRET
        if not secret.startswith("whsec_") or "localstripe" in secret or len(secret) < 24:
            found.append("STRIPE_WEBHOOK_SECRET must be the endpoint's signing secret")
        if cls.STRIPE_API_BASE.rstrip("/") != "https://api.stripe.com" or \
                not cls.STRIPE_JS_URL.startswith("https://js.stripe.com/"):
            found.append("STRIPE_API_BASE / STRIPE_JS_URL must be Stripe's own addresses")
        return found

    @classmethod
    def _midtrans_problems(cls):
        found = []
        key = cls.MIDTRANS_SERVER_KEY
        if not key or key.startswith("SB-") or "fake" in key or "test" in key or \
                _placeholder(key):
            found.append("MIDTRANS_SERVER_KEY must be the production server key")
        if not cls.MIDTRANS_IS_PRODUCTION:
            found.append("MIDTRANS_IS_PRODUCTION must be true")
        for name in ("MIDTRANS_API_BASE", "MIDTRANS_SNAP_BASE"):
            value = getattr(cls, name)
            if value and (not value.startswith("https://") or
                          _host_of(value) in LOOPBACK_HOSTS or
                          not _host_of(value).endswith("midtrans.com")):
                found.append(f"{name} must be empty (Midtrans' own) or a midtrans.com address")
        return found

    @classmethod
    def check(cls):
        found = cls.problems()
        if found:
            raise RuntimeError("refusing to start in production: " + "; ".join(found))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env():
    return CONFIGS[os.environ.get("SHOP_ENV", "development")]
