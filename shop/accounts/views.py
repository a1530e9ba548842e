"""Account pages: register, sign in/out, forgotten password, profile and password."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from shop.accounts import services, sessions, verification
from shop.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from shop.core.urls import safe_next
from shop.extensions import limiter

bp = Blueprint("accounts", __name__, url_prefix="/account")


# What a browser keeps of a guest's orders (their access tokens): never carried into, or out
# of, a signed-in session on a shared browser.
GUEST_ORDER_TOKENS = "order_tokens"
GUEST_ORDER_LINKS = "order_links"  # signed mail links opened (shop.orders.access)


def _signed_in(user, remember=False):
    """Sign the user in with a new server-side session (Flask-Login's `user_logged_in` tells
    the cart area, which brings the guest cart along)."""
    if not user.is_active:
        return False
    session.pop(GUEST_ORDER_TOKENS, None)
    session.pop(GUEST_ORDER_LINKS, None)
    sessions.open_session(user, remember=remember)
    services.record_login(user)  # commits the session row too
    if not login_user(user, remember=remember):
        return False
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
    return True


HOME_BY_ROLE = {"facility_staff": "staff.queue", "admin": "admin.dashboard",
                "partner": "partner.promotions"}


def _next_url():
    target = request.args.get("next")
    if target:
        return safe_next(target)
    role = current_user.role if current_user.is_authenticated else "customer"
    return url_for(HOME_BY_ROLE.get(role, "accounts.account"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def register():
    """A new account gets a verification mail; an address that already has one gets a mail
    to its owner. Both answer with the same page, so the form tells nobody which addresses
    are registered. The new customer signs in with their password and can shop at once."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            verification.register(form.name.data, form.email.data, form.password.data)
        except services.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            return redirect(url_for("accounts.registered", next=request.args.get("next")))
    status = 422 if form.errors else 200
    return render_template("accounts/register.html", form=form), status


@bp.get("/register/sent")
def registered():
    return render_template("accounts/registered.html")


@bp.get("/verify/<token>")
def verify_email(token):
    """Only the account's owner, signed in, can use the link (see shop.accounts.verification)."""
    if not current_user.is_authenticated:
        flash(_("Masuk dengan kata sandi akun Anda untuk mengonfirmasi surel."), "info")
        return redirect(url_for("accounts.login", next=request.path))
    if not verification.verify(current_user._get_current_object(), token):
        return render_template("accounts/verify_invalid.html"), 400
    flash(_("Surel Anda sudah dikonfirmasi. Pesanan dengan surel ini tampil di riwayat."),
          "success")
    return redirect(url_for("customer.orders"))


@bp.post("/verify/resend")
@login_required
@limiter.limit("3 per hour")
def resend_verification():
    if current_user.email_verified_at is None:
        verification.send_verification(current_user)
        services.commit()
    flash(_("Tautan konfirmasi sudah dikirim ke %(email)s.", email=current_user.email), "info")
    return redirect(url_for("accounts.account"))


@bp.post("/email")
@login_required
@limiter.limit("5 per hour")
def change_email():
    try:
        verification.change_email(current_user._get_current_object(),
                                  request.form.get("new_email", ""),
                                  request.form.get("email_password", ""))
    except services.AccountError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Jika alamat itu dapat dipakai, kami mengirim tautan konfirmasi ke sana."),
              "info")
    return redirect(url_for("accounts.account"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: f"{current_app.config['SIGNIN_PER_MINUTE']} per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = LoginForm()
    problem = None
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            problem = _("Surel atau kata sandi salah.")
            services.record_failed_login(form.email.data)
        elif not _signed_in(user, remember=form.remember.data):
            problem = _("Akun ini tidak aktif. Hubungi pengelola toko jika ini keliru.")
        else:
            flash(_("Anda sudah masuk."), "success")
            return redirect(_next_url())
    status = 422 if (problem or form.errors) else 200
    return render_template("accounts/login.html", form=form, problem=problem), status


@bp.post("/logout")
def logout():
    # Nothing of the account stays with whoever uses this browser next (its cart included).
    # Cleared first: logout_user then marks the remember-me cookie for deletion.
    raw_session = getattr(current_user, "session_id", None)
    session.clear()
    logout_user()
    sessions.close_session(raw_session)
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("catalog.home"))


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("Jika surel terdaftar, tautan sudah dikirim. Tautan berlaku satu jam."), "info")
        return redirect(url_for("accounts.forgot_password"))
    status = 422 if form.errors else 200
    return render_template("accounts/forgot.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token):
    user = services.user_for_reset_token(token)
    if user is None:
        return render_template("accounts/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        logout_user()  # whoever was signed in on this browser
        _signed_in(user)
        flash(_("Kata sandi baru sudah disimpan. Sesi di perangkat lain sudah dikeluarkan."),
              "success")
        return redirect(url_for("accounts.account"))
    status = 422 if form.errors else 200
    return render_template("accounts/reset.html", form=form, token=token), status


def _render_profile(profile_form=None, password_form=None, status=200):
    profile_form = profile_form or ProfileForm(formdata=None, obj=current_user)
    password_form = password_form or ChangePasswordForm(formdata=None)
    return render_template("accounts/profile.html", profile_form=profile_form,
                           password_form=password_form), status


@bp.get("")
@login_required
def account():
    return _render_profile()


@bp.post("")
@login_required
def update_profile():
    form = ProfileForm()
    if form.validate_on_submit():
        services.update_profile(current_user, form.name.data, form.phone.data)
        flash(_("Profil sudah disimpan."), "success")
        return redirect(url_for("accounts.account"))
    return _render_profile(profile_form=form, status=422)


@bp.post("/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.new_password.data)
        except services.AccountError as exc:
            form.current_password.errors.append(str(exc))
        else:
            # The version bump signed out every session; this one signs in again.
            remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            _signed_in(user, remember=remember_cookie in request.cookies)
            flash(_("Kata sandi sudah diganti. Sesi di perangkat lain sudah dikeluarkan."),
                  "success")
            return redirect(url_for("accounts.account"))
    return _render_profile(password_form=form, status=422)
