"""One pagination helper for every list, with a capped page size."""

from flask import current_app, request

from casework.core.errors import ValidationFailed
from casework.extensions import db


def _positive_int(name, default):
    """Reads a positive integer query argument, refusing anything else clearly."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationFailed(
            f"'{name}' harus bilangan bulat positif.", fields={name: ["harus bilangan bulat positif"]}
        )
    return int(raw)


def paginate(select):
    """Pages a select by ``page`` and ``per_page`` query arguments; ``per_page`` is capped."""
    cap = current_app.config["PER_PAGE_MAX"]
    per_page = min(_positive_int("per_page", current_app.config["PER_PAGE_DEFAULT"]), cap)
    return db.paginate(select, page=_positive_int("page", 1), per_page=per_page, max_per_page=cap, error_out=False)


def page_meta(page):
    """The paging facts an API response carries beside its items."""
    return {"page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages}
