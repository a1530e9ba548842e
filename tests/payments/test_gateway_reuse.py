"""The gateway clients are made once per process and settings, so their HTTP sessions keep
the connections to the gateway open between payments."""

from shop.payments.gateway import get_gateway


def test_the_stripe_client_is_made_once_per_settings(app, monkeypatch):
    with app.app_context():
        first = get_gateway("stripe")
        assert get_gateway("stripe") is first
        monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_another_account")
        other = get_gateway("stripe")
        assert other is not first and other.client is not first.client
        monkeypatch.undo()
        assert get_gateway("stripe") is first


def test_the_midtrans_client_follows_its_settings(app, monkeypatch):
    with app.app_context():
        first = get_gateway("midtrans")
        assert get_gateway("midtrans") is first
        monkeypatch.setitem(app.config, "PAYMENT_WINDOW_MINUTES", 45)
        assert get_gateway("midtrans").default_expiry_minutes == 45
