"""The session cookie's signer is kept per secret key (shop.core.security.SignedCookieSessions):
a rotated key signs new cookies at once, and the old key still opens the visitor's cookie while
it is listed in SECRET_KEY_FALLBACKS."""

from itsdangerous import URLSafeTimedSerializer


def test_a_rotated_key_signs_new_cookies_and_the_old_one_still_opens(app, client):
    old_key = app.secret_key
    with client.session_transaction() as session:
        session["cart_count"] = 3
    assert client.get_cookie("session") is not None
    app.secret_key = "a-new-secret-key-for-this-test-0123456789"
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    try:
        with client.session_transaction() as session:
            assert session["cart_count"] == 3  # opened with the fallback
            session["cart_count"] = 4
        value = client.get_cookie("session").value
        signer = app.session_interface.get_signing_serializer(app)
        assert signer.loads(value)["cart_count"] == 4
        fresh = URLSafeTimedSerializer(
            app.secret_key, salt="cookie-session", serializer=app.session_interface.serializer,
            signer_kwargs={"key_derivation": "hmac", "digest_method": app.session_interface
                           .digest_method})
        assert fresh.loads(value)["cart_count"] == 4  # signed with the new key
        app.config["SECRET_KEY_FALLBACKS"] = []
        with client.session_transaction() as session:
            assert session["cart_count"] == 4
    finally:
        app.secret_key = old_key
        app.config["SECRET_KEY_FALLBACKS"] = []
