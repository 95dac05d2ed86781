"""Sign-in, sign-out, the language switch and a user's own account page."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from casework.audit.services import record
from casework.auth import idle, limits, services
from casework.auth.forms import EmptyForm, LanguageForm, LoginForm, PasswordForm, TokenForm
from casework.auth.models import ApiToken
from casework.auth.passwords import verify_password
from casework.core.errors import TooManyRequests, ValidationFailed, error_response
from casework.core.i18n import safe_next_url
from casework.core.permissions import public, require
from casework.core.security import bearer_token
from casework.extensions import db

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """The sign-in page; on success, a fresh session and the page asked for."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next"))
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data)
        except (ValidationFailed, TooManyRequests) as error:
            form.password.errors.append(error.message)
            status = 429 if isinstance(error, TooManyRequests) else 401
        else:
            lang = session.get("lang")
            # A new session at sign-in: nothing from before carries over but the language.
            session.clear()
            if lang:
                session["lang"] = lang
            session.permanent = True
            login_user(user)
            db.session.commit()
            return redirect(safe_next_url(form.next.data) or url_for("home.index"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@require("home.view")
def logout():
    """Signs out and clears the session."""
    record("auth.logout")
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
@public
def language():
    """Switches the interface language for this session (and the account, when signed in)."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            current_user.locale = form.lang.data
            db.session.commit()
    return redirect(safe_next_url(form.next.data) or url_for("home.index"))


def _account_page(password_form=None, status=200):
    """Renders the account page, with a submitted password form when there is one."""
    tokens = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).all()
    page = render_template(
        "auth/account.html",
        password_form=password_form or PasswordForm(formdata=None),
        token_form=TokenForm(formdata=None),
        tokens=tokens,
        new_token=session.pop("new_token", None),
    )
    return page, status


@bp.route("/account", methods=["GET"])
@require("account.self")
def account():
    """The user's own account: language, password and API tokens."""
    return _account_page()


@bp.route("/account/password", methods=["POST"])
@require("account.self")
def change_password():
    """Changes one's own password after checking the current one."""
    form = PasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("Kata sandi sekarang salah."))
        else:
            try:
                services.set_password(current_user, form.password.data)
            except ValidationFailed as error:
                form.password.errors.extend(error.fields["password"])
            else:
                db.session.commit()
                login_user(current_user._get_current_object())
                flash(_("Kata sandi telah diganti. Sesi di perangkat lain telah diakhiri."), "success")
                return redirect(url_for("auth.account"))
    return _account_page(form, 422)


@bp.route("/account/tokens", methods=["POST"])
@require("account.self")
def create_token():
    """Issues an API token and shows it once."""
    form = TokenForm()
    if not form.validate_on_submit():
        for message in form.name.errors:
            flash(message, "error")
        return redirect(url_for("auth.account"))
    _record, token = services.issue_token(current_user, form.name.data)
    db.session.commit()
    session["new_token"] = token
    return redirect(url_for("auth.account"))


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@require("account.self")
def revoke_token(token_id):
    """Revokes one of the user's own tokens."""
    if EmptyForm().validate_on_submit():
        services.revoke_token(token_id, owner=current_user)
        db.session.commit()
        flash(_("Token dicabut."), "success")
    return redirect(url_for("auth.account"))


def init_login(login_manager):
    """Wires Flask-Login: session loader, bearer-token loader for the API, 401 handling."""
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.user_loader(services.load_session_user)

    @login_manager.request_loader
    def load_from_token(req):
        token = bearer_token() if req.path.startswith("/api/") else None
        if not token:
            return None
        user = services.user_for_token(token)
        if user is None:
            limits.count_failed_token()
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        # The mark stays for an API or background call, so the next page the user opens still says why.
        expired = session.get(idle.EXPIRED, False)
        if request.path.startswith("/api/") or idle.is_background():
            if expired:
                return error_response(401, "session_expired", idle.idle_message())
            abort(401)
        session.pop(idle.EXPIRED, None)
        flash(idle.idle_message() if expired else _("Silakan masuk terlebih dahulu."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
