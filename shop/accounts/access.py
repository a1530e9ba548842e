"""Access rules as decorators: the role, and (for staff) the facility that scopes everything."""

from functools import wraps

from flask import abort, g, request
from flask_babel import gettext as _
from flask_login import current_user

from shop.accounts.models import User
from shop.accounts.tokens import user_for_api_token
from shop.core.errors import api_error
from shop.extensions import login_manager


def role_required(*roles):
    """Signed-in users with one of `roles`; others: sign-in (anonymous) or 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def staff_facility_id() -> int:
    """The facility the signed-in (or token-authenticated) staff member works for."""
    user = getattr(g, "api_user", None) or current_user
    return user.facility_id


def user_from_bearer() -> User | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return user_for_api_token(header[7:].strip())


def api_token_required(*roles):
    """Bearer-token API: 401 without a valid token, 403 for a role that has no business here."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = user_from_bearer()
            if user is None:
                return api_error(401, _("Token API tidak valid, kedaluwarsa atau dicabut."))
            if user.role not in roles:
                return api_error(403)
            g.api_user = user
            return view(*args, **kwargs)

        return wrapper

    return decorator
