"""Pages for merging two records of one person (a supervisor's decision), and for undoing a merge.

The merge page starts from the record that stays: search for the other by
name or NIK, see both side by side, give a reason, confirm. The survivor's
detail page lists its merges, each with an undo.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.admin.forms import attach_errors
from casework.clients import merging, queries
from casework.clients.forms import MergeForm, SearchForm, UndoMergeForm
from casework.clients.labels import SEX_LABELS
from casework.core.errors import ServiceError
from casework.core.pagination import COUNT_BOUND, paginate
from casework.core.permissions import require
from casework.extensions import db

bp = Blueprint("client_merges", __name__)


def _merge_page(survivor, form, status=200, problem=None):
    """The merge page: the search, its results and, once the other record is chosen, both side by side."""
    filters = SearchForm()
    other_uuid = form.merged_uuid.data or request.args.get("other")
    other = queries.readable_client(current_user, other_uuid) if other_uuid else None
    if other is not None and not form.is_submitted():
        form.merged_uuid.data = str(other.uuid)
        form.survivor_version.data, form.merged_version.data = survivor.version, other.version
    results = []
    if filters.q.data:
        page = paginate(queries.search(current_user.agency_id, **filters.values()), bound=COUNT_BOUND)
        results = [client for client in page.items if client.id != survivor.id]
    context = {"filters": filters, "results": results, "other": other, "problem": problem, "sex_labels": SEX_LABELS}
    return render_template("clients/merge.html", client=survivor, form=form, **context), status


@bp.route("/<client_uuid>/merge", methods=["GET", "POST"])
@require("clients.merge")
def merge(client_uuid):
    """Merges the chosen record into this client; a refusal shows the page again with why."""
    survivor = queries.readable_client(current_user, client_uuid)
    form = MergeForm()
    if not form.validate_on_submit():
        return _merge_page(survivor, form)
    if not form.merged_uuid.data:
        return _merge_page(survivor, form, 422, _("Pilih dulu data lain yang akan digabungkan ke data ini."))
    merged = queries.readable_client(current_user, form.merged_uuid.data)
    versions = (form.survivor_version.data, form.merged_version.data)
    try:
        merging.merge_clients(survivor, merged, current_user, form.reason.data, versions)
    except ServiceError as error:
        db.session.rollback()
        return _merge_page(survivor, form, error.status, attach_errors(form, error))
    db.session.commit()
    flash(_("Data %(merged)s digabung ke %(name)s.", merged=merged.full_name, name=survivor.full_name), "success")
    return redirect(url_for("clients.detail", client_uuid=survivor.uuid))


@bp.post("/merges/<int:merge_id>/undo")
@require("clients.merge")
def undo(merge_id):
    """Undoes a merge from the survivor's page; a refusal is flashed there."""
    merge = queries.agency_merge(current_user.agency_id, merge_id)
    survivor_uuid = merge.survivor.uuid
    try:
        merging.undo_merge(merge, current_user, UndoMergeForm().reason.data)
    except ServiceError as error:
        db.session.rollback()
        message = _("Isi alasan pembatalan (paling banyak 500 karakter).") if error.fields else error.message
        flash(message, "error")
        return redirect(url_for("clients.detail", client_uuid=survivor_uuid))
    db.session.commit()
    flash(_("Penggabungan dibatalkan."), "success")
    return redirect(url_for("clients.detail", client_uuid=survivor_uuid))
