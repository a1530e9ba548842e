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


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'shop.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
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

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Etalase Binaan <toko@etalasebinaan.test>"
    )

    # Business settings
    FLAGSHIP_TARGET_YEAR = _int("FLAGSHIP_TARGET_YEAR", 2025)
    FLAGSHIP_TARGET_COUNT = _int("FLAGSHIP_TARGET_COUNT", 2)
    LOW_STOCK_THRESHOLD = _int("LOW_STOCK_THRESHOLD", 5)
    PRODUCTS_PER_PAGE = 24
    API_MAX_PER_PAGE = 100
    # Seconds a rendered catalogue fragment may be reused by one process.
    CATALOG_CACHE_SECONDS = _int("CATALOG_CACHE_SECONDS", 10)
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD")
    CART_LINE_CAP = 99
    # UU PDP retention (flask --app wsgi data cleanup)
    RETENTION_CART_DAYS = _int("RETENTION_CART_DAYS", 30)
    RETENTION_EXPIRED_ORDER_DAYS = _int("RETENTION_EXPIRED_ORDER_DAYS", 90)
    PAYMENT_WINDOW_MINUTES = _int("PAYMENT_WINDOW_MINUTES", 30)
    # Stripe's minimum charge is about USD 0.50; below this an order cannot be paid by card.
    MIN_ORDER_TOTAL = _int("MIN_ORDER_TOTAL", 10_000)
    PAYMENT_GATEWAY = os.environ.get("PAYMENT_GATEWAY", "stripe")
    # Used for links in mails sent from the command line.
    SHOP_BASE_URL = os.environ.get("SHOP_BASE_URL", "http://127.0.0.1:5000")

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
    TESTING = True
    STRIPE_MAX_NETWORK_RETRIES = 0
    ENV_NAME = "testing"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    CATALOG_CACHE_SECONDS = 0


class ProductionConfig(Config):
    ENV_NAME = "production"
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def check(cls):
        if cls.SECRET_KEY == DEFAULT_SECRET_KEY or len(cls.SECRET_KEY) < 32:
            raise RuntimeError("SECRET_KEY must be set to a long random value in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env():
    return CONFIGS[os.environ.get("SHOP_ENV", "development")]
