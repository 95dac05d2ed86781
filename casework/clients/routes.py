"""Client registry pages: search, register (with possible duplicates offered), detail, edit.

Each view parses its form, calls one service, commits and redirects. A
refusal rolls back and shows the page again: 422 with messages by field, 409
with the candidates (possible duplicate) or the stale-version notice.
"""

import uuid as uuid_module

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.access.gate import hide_unreadable
from casework.admin.forms import attach_errors
from casework.cases.labels import STAGE_LABELS
from casework.cases.queries import client_cases
from casework.clients import photos, queries, services
from casework.clients.forms import EditForm, PhotoForm, PhotoRemoveForm, RegisterForm, SearchForm
from casework.clients.identity import identity_warnings
from casework.clients.labels import DOCUMENT_LABELS, SEX_LABELS
from casework.core.errors import ServiceError
from casework.core.pagination import COUNT_BOUND, paginate
from casework.core.permissions import require
from casework.extensions import db

bp = Blueprint("clients", __name__)


@bp.context_processor
def _labels():
    """Label tables for sex and documents."""
    return {"sex_labels": SEX_LABELS, "document_labels": DOCUMENT_LABELS}


def _form_page(template, form, status=200, **context):
    """Renders a client form; a refusal's status is kept, and the page says what failed above the form."""
    return render_template(template, form=form, status=status, **context), status


def _refusal(error, form):
    """Undoes the refused change; returns the message to show above the form (None when all are by field)."""
    db.session.rollback()
    return attach_errors(form, error)


@bp.route("/")
@require("clients.view")
def index():
    """The registry: search by name (best match first) or NIK, paged."""
    filters = SearchForm()
    page = paginate(queries.search(current_user.agency_id, **filters.values()), bound=COUNT_BOUND)
    hide_unreadable(current_user, [client.id for client in page.items])
    return render_template("clients/index.html", filters=filters, page=page)


@bp.route("/new", methods=["GET", "POST"])
@require("clients.manage")
def register():
    """Registers a client; likely duplicates are offered first, and an exact NIK match is refused."""
    form = RegisterForm.build()
    if not form.is_submitted():
        # Made when the form opens: submitting it twice registers one client.
        form.uuid.data = str(uuid_module.uuid4())
    if form.validate_on_submit():
        try:
            client, created = services.register_client(
                current_user.agency, current_user, form.values(), uuid=form.uuid.data, confirm_new=form.confirm_new.data
            )
        except services.PossibleDuplicate as error:
            db.session.rollback()
            return _form_page("clients/form.html", form, error.status, duplicate=error)
        except ServiceError as error:
            return _form_page("clients/form.html", form, error.status, problem=_refusal(error, form))
        db.session.commit()
        if created:
            flash(_("Klien %(name)s didaftarkan.", name=client.full_name), "success")
        return redirect(url_for(".detail", client_uuid=client.uuid))
    return _form_page("clients/form.html", form)


@bp.route("/<client_uuid>")
@require("clients.view")
def detail(client_uuid):
    """A client's photo, identity, warnings about the NIK, documents and categories."""
    return _detail_page(queries.readable_client(current_user, client_uuid))


def _detail_page(client, photo_form=None, status=200, problem=None):
    """The detail page, with the photo forms at the client's version (or a refused one, with its messages)."""
    photo_form = photo_form or PhotoForm(formdata=None, version=client.version)
    remove_form = PhotoRemoveForm(formdata=None, version=client.version, prefix="remove")
    context = {
        "warnings": identity_warnings(client),
        "photo_problem": problem,
        "client_cases": client_cases(client),
        "case_stage_labels": STAGE_LABELS,
    }
    page = render_template(
        "clients/detail.html", client=client, photo_form=photo_form, remove_form=remove_form, **context
    )
    return page, status


@bp.post("/<client_uuid>/photo")
@require("clients.manage")
def set_photo(client_uuid):
    """Stores a new photo of the client (from the tablet's camera or a file); a refusal shows why."""
    client = queries.readable_client(current_user, client_uuid)
    form = PhotoForm()
    try:
        photos.set_client_photo(client, form.version.data, form.photo.data, current_user)
    except ServiceError as error:
        problem = _refusal(error, form)
        # Offered again at the version stored now (what was typed would win over ``data``).
        form.version.raw_data, form.version.data = [], client.version
        return _detail_page(client, form, error.status, problem)
    db.session.commit()
    flash(_("Foto %(name)s disimpan.", name=client.full_name), "success")
    return redirect(url_for(".detail", client_uuid=client.uuid))


@bp.post("/<client_uuid>/photo/remove")
@require("clients.manage")
def remove_photo(client_uuid):
    """Removes the client's photo."""
    client = queries.readable_client(current_user, client_uuid)
    try:
        photos.remove_client_photo(client, PhotoRemoveForm(prefix="remove").version.data, current_user)
    except ServiceError as error:
        db.session.rollback()
        return _detail_page(client, status=error.status, problem=error.message)
    db.session.commit()
    flash(_("Foto %(name)s dihapus.", name=client.full_name), "success")
    return redirect(url_for(".detail", client_uuid=client.uuid))


@bp.route("/<client_uuid>/edit", methods=["GET", "POST"])
@require("clients.manage")
def edit(client_uuid):
    """Changes a client; the form carries the version it was opened at, so a stale save is shown, not lost."""
    client = queries.readable_client(current_user, client_uuid)
    form = EditForm.build(client)
    if form.validate_on_submit():
        try:
            services.update_client(
                client, form.version.data, form.values(client), confirm_distinct=form.confirm_distinct.data
            )
        except services.PossibleDuplicate as error:
            db.session.rollback()
            return _form_page("clients/form.html", form, error.status, client=client, duplicate=error)
        except ServiceError as error:
            return _form_page("clients/form.html", form, error.status, client=client, problem=_refusal(error, form))
        db.session.commit()
        flash(_("Perubahan data %(name)s disimpan.", name=client.full_name), "success")
        return redirect(url_for(".detail", client_uuid=client.uuid))
    return _form_page("clients/form.html", form, client=client)
