"""Flask-Login wiring: the session and the remember cookie carry "id:version:session", so a
new password (which bumps the version) or a sign-out (which revokes the server-side session)
signs the browser out, whatever cookie it replays. A remembered session is rotated each time
the remember cookie signs the user in."""

from flask_login import login_user, user_loaded_from_cookie

from shop.accounts import sessions
from shop.core.i18n import lazy_gettext as _l
from shop.extensions import db, login_manager

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Silakan masuk terlebih dahulu.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str):
    try:
        raw_id, version, raw_session = user_id.split(":")
        return sessions.user_for_session(int(raw_id), version, raw_session)
    except (ValueError, TypeError):
        return None


def _rotate_remembered(sender, user, **extra):
    """The remember cookie signed the user in: replace its session by a new one, so a copy
    of the old cookie is worth nothing."""
    sessions.close_session(user.session_id)
    sessions.open_session(user, remember=True)
    db.session.commit()
    login_user(user, remember=True)


def init_app(app):
    user_loaded_from_cookie.connect(_rotate_remembered, app)
