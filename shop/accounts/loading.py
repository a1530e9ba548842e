"""Flask-Login wiring: the session carries "id:session_version", so a password change
(which bumps the version) signs the user out everywhere."""

from shop.accounts.models import User
from shop.extensions import db, login_manager

login_manager.login_view = "accounts.login"
login_manager.login_message = "Silakan masuk terlebih dahulu."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str):
    try:
        raw_id, version = user_id.split(":")
        user = db.session.get(User, int(raw_id))
    except (ValueError, TypeError):
        return None
    if user is None or str(user.session_version) != version or not user.is_active:
        return None
    return user
