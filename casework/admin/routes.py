"""Administration pages: users, units and partners, the agency's settings, and the directory.

Each view parses its form, calls one operation from ``services``, commits and
redirects with a message. When the operation refuses, nothing is saved and the
page comes back with the messages beside their fields (422, or 409 for a
stale edit).
"""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.admin import queries, services
from casework.admin.forms import (
    AgencyForm,
    DirectoryFilterForm,
    PasswordResetForm,
    UnitFilterForm,
    UnitForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    attach_errors,
)
from casework.admin.labels import PARTNER_TYPE_LABELS, UNIT_KIND_LABELS
from casework.auth.forms import EmptyForm
from casework.auth.models import SCOPE_LABELS
from casework.core.errors import ServiceError
from casework.core.pagination import paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.reference.labels import GOV_LEVEL_LABELS

bp = Blueprint("admin", __name__)


@bp.context_processor
def _labels():
    """Label tables for enum values, and the region level each region input asks for."""
    return {
        "unit_kind_labels": UNIT_KIND_LABELS,
        "partner_type_labels": PARTNER_TYPE_LABELS,
        "gov_level_labels": GOV_LEVEL_LABELS,
        "scope_labels": SCOPE_LABELS,
        "agency_region_level": services.AGENCY_REGION_LEVEL,
        "scope_region_level": services.SCOPE_REGION_LEVEL,
    }


def _page(template, status=200, **context):
    """Renders an admin page with its status (409 offers a reload); a form refused by its own validation is a 422."""
    form = context.get("form")
    if status == 200 and form is not None and form.errors:
        status = 422
    return render_template(template, status=status, **context), status


def _refusal(error, form=None):
    """Undoes a refused change and returns what to show above the form.

    Messages about fields go beside the fields of ``form``; a refused button
    (no form) shows the whole refusal above the page.
    """
    db.session.rollback()
    return attach_errors(form, error) if form is not None else error.message


# --- The agency -------------------------------------------------------------------------------------


@bp.route("/agency", methods=["GET", "POST"])
@require("admin.agency")
def agency():
    """The agency's name, level, region, address and phone."""
    agency = current_user.agency
    form = AgencyForm(obj=agency)
    if form.validate_on_submit():
        try:
            services.update_agency(agency, **form.values())
        except ServiceError as error:
            return _page("admin/agency.html", error.status, form=form, agency=agency, problem=_refusal(error, form))
        db.session.commit()
        flash(_("Data dinas disimpan."), "success")
        return redirect(url_for(".agency"))
    return _page("admin/agency.html", form=form, agency=agency)


# --- Units and partners ----------------------------------------------------------------------------


def _unit_page(unit, form=None, status=200, problem=None):
    """The unit form (as stored when no submitted ``form`` is given) and, for an existing unit, its status."""
    if form is None:
        form = UnitForm.build(current_user.agency_id, unit, formdata=None)
    return _page("admin/unit_form.html", status, form=form, unit=unit, problem=problem)


@bp.route("/units")
@require("admin.units")
def units():
    """The agency's units and partner organisations, filtered and paged."""
    filters = UnitFilterForm()
    page = paginate(queries.units(current_user.agency_id, **filters.values()))
    return _page("admin/units.html", filters=filters, page=page)


@bp.route("/units/new", methods=["GET", "POST"])
@require("admin.units")
def new_unit():
    """Adds a unit or partner organisation."""
    form = UnitForm.build(current_user.agency_id)
    if form.validate_on_submit():
        try:
            unit = services.create_unit(current_user.agency, **form.values())
        except ServiceError as error:
            return _unit_page(None, form, error.status, _refusal(error, form))
        db.session.commit()
        flash(_("Unit %(name)s ditambahkan.", name=unit.name), "success")
        return redirect(url_for(".edit_unit", unit_id=unit.id))
    return _unit_page(None, form)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@require("admin.units")
def edit_unit(unit_id):
    """Changes a unit; the form carries the version it was opened at."""
    unit = queries.agency_unit(current_user.agency_id, unit_id)
    form = UnitForm.build(current_user.agency_id, unit)
    if form.validate_on_submit():
        try:
            services.update_unit(unit, form.version.data, **form.values())
        except ServiceError as error:
            return _unit_page(unit, form, error.status, _refusal(error, form))
        db.session.commit()
        flash(_("Perubahan unit %(name)s disimpan.", name=unit.name), "success")
        return redirect(url_for(".edit_unit", unit_id=unit.id))
    return _unit_page(unit, form)


@bp.post("/units/<int:unit_id>/deactivate", defaults={"active": False})
@bp.post("/units/<int:unit_id>/reactivate", defaults={"active": True})
@require("admin.units")
def set_unit_active(unit_id, active):
    """Deactivates or reactivates a unit."""
    unit = queries.agency_unit(current_user.agency_id, unit_id)
    if EmptyForm().validate_on_submit():
        try:
            services.set_unit_active(unit, active)
        except ServiceError as error:
            return _unit_page(unit, None, error.status, _refusal(error))
        db.session.commit()
        flash(_("Unit diaktifkan kembali.") if active else _("Unit dinonaktifkan."), "success")
    return redirect(url_for(".edit_unit", unit_id=unit.id))


# --- Users -----------------------------------------------------------------------------------------


def _user_page(user, form=None, status=200, problem=None, password_form=None):
    """The account form (as stored when no submitted ``form`` is given), with status, password and tokens."""
    if form is None:
        form = UserEditForm.build(current_user.agency_id, user, formdata=None)
    context = {"form": form, "user": user, "problem": problem}
    if user is not None:
        context.update(
            password_form=password_form or PasswordResetForm(formdata=None),
            tokens=queries.user_tokens(user.id),
        )
    return _page(
        "admin/user_form.html",
        status,
        region_names=queries.region_names(form.region_codes.data),
        agency=current_user.agency,
        **context,
    )


@bp.route("/users")
@require("admin.users")
def users():
    """The agency's user accounts, filtered and paged."""
    filters = UserFilterForm(current_user.agency_id)
    page = paginate(queries.users(current_user.agency_id, **filters.values()))
    return _page("admin/users.html", filters=filters, page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@require("admin.users")
def new_user():
    """Creates an account."""
    form = UserCreateForm.build(current_user.agency_id)
    if form.validate_on_submit():
        try:
            user = services.create_user(current_user.agency, **form.values())
        except ServiceError as error:
            return _user_page(None, form, error.status, _refusal(error, form))
        db.session.commit()
        flash(_("Akun %(username)s dibuat.", username=user.username), "success")
        return redirect(url_for(".edit_user", user_id=user.id))
    return _user_page(None, form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require("admin.users")
def edit_user(user_id):
    """Changes an account; the form carries the version it was opened at."""
    user = queries.agency_user(current_user.agency_id, user_id)
    form = UserEditForm.build(current_user.agency_id, user)
    if form.validate_on_submit():
        try:
            services.update_user(user, form.version.data, **form.values())
        except ServiceError as error:
            return _user_page(user, form, error.status, _refusal(error, form))
        db.session.commit()
        flash(_("Perubahan akun %(username)s disimpan.", username=user.username), "success")
        return redirect(url_for(".edit_user", user_id=user.id))
    return _user_page(user, form)


@bp.post("/users/<int:user_id>/deactivate", defaults={"active": False})
@bp.post("/users/<int:user_id>/reactivate", defaults={"active": True})
@require("admin.users")
def set_user_active(user_id, active):
    """Deactivates an account (its sessions end, its tokens are revoked) or reactivates it."""
    user = queries.agency_user(current_user.agency_id, user_id)
    if EmptyForm().validate_on_submit():
        try:
            services.set_user_active(user, active, current_user)
        except ServiceError as error:
            return _user_page(user, None, error.status, _refusal(error))
        db.session.commit()
        if active:
            flash(_("Akun %(username)s diaktifkan kembali.", username=user.username), "success")
        else:
            flash(_("Akun %(username)s dinonaktifkan; sesi dan tokennya diakhiri.", username=user.username), "success")
    return redirect(url_for(".edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/password")
@require("admin.users")
def reset_password(user_id):
    """Sets a new password for an account; its sessions end."""
    user = queries.agency_user(current_user.agency_id, user_id)
    password_form = PasswordResetForm()
    if not password_form.validate_on_submit():
        return _user_page(user, status=422, password_form=password_form)
    try:
        services.reset_user_password(user, password_form.password.data, current_user)
    except ServiceError as error:
        return _user_page(user, None, error.status, _refusal(error, password_form), password_form)
    db.session.commit()
    flash(_("Kata sandi %(username)s diganti; semua sesinya diakhiri.", username=user.username), "success")
    return redirect(url_for(".edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/tokens/<int:token_id>/revoke")
@require("admin.users")
def revoke_token(user_id, token_id):
    """Revokes one of an account's API tokens."""
    user = queries.agency_user(current_user.agency_id, user_id)
    if EmptyForm().validate_on_submit():
        services.revoke_user_token(user, token_id)
        db.session.commit()
        flash(_("Token dicabut."), "success")
    return redirect(url_for(".edit_user", user_id=user.id))


# --- The directory -----------------------------------------------------------------------------------


@bp.route("/directory")
@require("org.view")
def directory():
    """The agency's active units and partner organisations, for finding where to refer someone."""
    filters = DirectoryFilterForm()
    page = paginate(queries.units(current_user.agency_id, active=True, **filters.values()))
    return _page("admin/directory.html", filters=filters, page=page)
