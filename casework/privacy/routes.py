"""Data-protection pages: consent on the client page, the retention periods, the data-subject export.

Each view parses its form, calls one service, commits and redirects; a
refusal rolls back and shows the form again with the messages (422, or 409
for an answer already withdrawn).
"""

import io

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.admin.forms import attach_errors
from casework.auth.forms import EmptyForm
from casework.clients.queries import readable_client
from casework.core.errors import ServiceError
from casework.core.localtime import local_today
from casework.core.permissions import can, require
from casework.extensions import db
from casework.org.models import Agency
from casework.privacy import consent as services
from casework.privacy import retention
from casework.privacy.forms import ConsentForm, RetentionForm, WithdrawForm
from casework.privacy.labels import METHOD_LABELS, MISSING_LABELS, PURPOSE_LABELS
from casework.privacy.models import ConsentPurpose, RetentionKind
from casework.privacy.subject import export_name, write_subject_export

bp = Blueprint("privacy", __name__)


@bp.app_template_global("consent_section")
def consent_section(client):
    """What the client page's consent section shows: the answers, what is missing, the withdraw forms."""
    answers = services.client_consents(client)
    current = {purpose: services.current_consent(client, purpose) for purpose in ConsentPurpose}
    manage = can(current_user, "clients.manage") and client.merged_into_id is None
    return {
        "answers": answers,
        "missing": [MISSING_LABELS[purpose] for purpose, answer in current.items() if not (answer and answer.given)],
        "withdraw_forms": {
            answer.id: WithdrawForm(formdata=None, prefix=f"withdraw{answer.id}-", withdrawn_on=local_today())
            for answer in answers
            if manage and answer.withdrawn_on is None
        },
        "manage": manage,
        "purpose_labels": PURPOSE_LABELS,
        "method_labels": METHOD_LABELS,
    }


def _back(client):
    """The client page, at its consent section."""
    return redirect(url_for("clients.detail", client_uuid=client.uuid, _anchor="consent"))


@bp.route("/clients/<client_uuid>/consents", methods=["GET", "POST"])
@require("clients.manage")
def record_consent(client_uuid):
    """Records one consent answer for the client."""
    client = readable_client(current_user, client_uuid)
    form = ConsentForm(recorded_on=local_today().isoformat())
    problem, status = None, 200
    if form.is_submitted():
        try:
            services.record_consent(client, current_user, form.data, uuid=form.uuid.data)
        except ServiceError as error:
            db.session.rollback()
            problem, status = attach_errors(form, error), error.status
        else:
            db.session.commit()
            flash(_("Persetujuan dicatat."), "success")
            return _back(client)
    return render_template("privacy/consent_form.html", client=client, form=form, problem=problem), status


@bp.post("/clients/<client_uuid>/consents/<int:consent_id>/withdraw")
@require("clients.manage")
def withdraw_consent(client_uuid, consent_id):
    """Withdraws one answer from the day given."""
    client = readable_client(current_user, client_uuid)
    answer = services.client_consent(client, consent_id)
    form = WithdrawForm(prefix=f"withdraw{answer.id}-")
    try:
        services.withdraw_consent(answer, current_user, {"withdrawn_on": form.withdrawn_on.data})
    except ServiceError as error:
        db.session.rollback()
        problem = attach_errors(form, error)
        page = render_template("privacy/withdraw.html", client=client, answer=answer, form=form, problem=problem)
        return page, error.status
    db.session.commit()
    flash(_("Persetujuan ditarik."), "success")
    return _back(client)


@bp.route("/retention", methods=["GET", "POST"])
@require("privacy.manage")
def retention_settings():
    """The agency's retention period per record type."""
    agency = db.session.get(Agency, current_user.agency_id)
    current = retention.periods(agency.id)
    form = RetentionForm(data={kind.value: str(period) for kind, period in current.items()})
    problem, status = None, 200
    if form.is_submitted():
        try:
            retention.save_periods(agency, current_user, form.data)
        except ServiceError as error:
            db.session.rollback()
            problem, status = attach_errors(form, error), error.status
        else:
            db.session.commit()
            flash(_("Masa simpan data disimpan."), "success")
            return redirect(url_for(".retention_settings"))
    defaults = {kind.value: retention.DEFAULTS[kind] for kind in RetentionKind}
    page = render_template("privacy/retention.html", form=form, problem=problem, defaults=defaults)
    return page, status


@bp.get("/subjects/<client_uuid>")
@require("privacy.subject_export")
def subject(client_uuid):
    """The data-subject request page of one client: what the export holds, and its button."""
    client = readable_client(current_user, client_uuid)
    return render_template("privacy/subject.html", client=client, form=EmptyForm())


@bp.post("/subjects/<client_uuid>/export")
@require("privacy.subject_export")
def subject_export(client_uuid):
    """Downloads everything held on the client as a zip (one CSV per table, their files, a manifest)."""
    client = readable_client(current_user, client_uuid)
    buffer = io.BytesIO()
    write_subject_export(client, buffer, actor=current_user)
    db.session.commit()
    buffer.seek(0)
    return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=export_name(client))
