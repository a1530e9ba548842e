from tests.conftest import TestConfig


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    # details added for operators (tests/ops/test_observability.py checks them)
    assert body["outbox_backlog"] == 0
    assert set(body["jobs"]) == {"last_run_age_seconds", "last_success_age_seconds", "failing"}


def test_healthz_503_when_database_unreachable():
    from shop import create_app

    class Unreachable(TestConfig):
        # nothing listens on port 1: the connection is refused at once
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://nobody@127.0.0.1:1/shop"
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"connect_timeout": 2}}

    app = create_app(Unreachable)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}
