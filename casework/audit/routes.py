"""The administrator's search of the audit trail (``/admin/audit/``): filters, newest first, keyset paging."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from casework.audit import chain
from casework.audit.forms import AuditFilterForm
from casework.audit.models import AuditEvent
from casework.audit.queries import audit_select
from casework.core.pagination import keyset_paginate
from casework.core.permissions import require

bp = Blueprint("audit", __name__)


@bp.route("/")
@require("audit.view")
def index():
    """The agency's audit entries matching the filters, newest first, with the chain's sealing state."""
    filters = AuditFilterForm()
    select = audit_select(current_user.agency_id, **filters.filters())
    page = keyset_paginate(select, (AuditEvent.at, AuditEvent.id), descending=True)
    head_seq, head_hash = chain.head()
    state = {"head_seq": head_seq, "head_hash": head_hash, "unsealed": chain.unsealed_count()}
    newest_args = {key: value for key, value in request.args.items() if key != "cursor"}
    return render_template("audit/index.html", filters=filters, page=page, chain=state, newest_args=newest_args)
