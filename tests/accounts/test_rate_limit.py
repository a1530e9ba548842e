"""Sign-in is rate limited with a clear lockout message; failures are audited."""

from sqlalchemy import select

from shop.core.audit import AuditEntry
from shop.extensions import limiter
from tests.conftest import TestConfig


class LimitedConfig(TestConfig):
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    SIGNIN_PER_MINUTE = 10


def test_sign_in_lockout_after_ten_tries(app, db_session):
    from shop import create_app

    limited = create_app(LimitedConfig)
    try:
        client = limited.test_client()
        answers = [client.post("/account/login", data={"email": "x@example.org",
                                                       "password": "salah-salah-salah"})
                   for _ in range(11)]
        assert [r.status_code for r in answers[:10]] == [422] * 10
        assert answers[10].status_code == 429
        assert "Terlalu banyak percobaan masuk" in answers[10].get_data(as_text=True)
        # the shop itself is not locked: pages still answer
        assert client.get("/products").status_code == 200
    finally:
        limiter.init_app(app)  # the shared limiter goes back to the test app's settings
    with app.app_context():
        failures = db_session.scalars(
            select(AuditEntry).where(AuditEntry.kind == "signin.failed")).all()
        assert len(failures) == 10 and failures[0].subject == "x@example.org"
