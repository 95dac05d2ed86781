"""API endpoints for achievement reports, the rows behind each number, and the SPM index.

They compute the same tables as the pages. ``indicator`` is a code
(``KAB-2-PENERIMA``), the period a ``year`` with a ``quarter`` or a
``month``; a bad value is a 422 naming the field, an unknown indicator a 404.
"""

from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_args
from casework.core.masking import mask_name, may_see_identity
from casework.core.pagination import page_meta
from casework.core.permissions import can, require
from casework.figures import spm
from casework.figures.achievement import TOTAL_ROW, parse_period, parse_places, report_for
from casework.figures.close_queries import closed_keyed
from casework.figures.drilldown import REALISATION, counted, paginate_counted
from casework.figures.schemas import (
    AchievementQuerySchema,
    AchievementSchema,
    CountedQuerySchema,
    CountedSchema,
    PeriodQuerySchema,
    SpmIndexSchema,
)

_QUERY = AchievementQuerySchema()
_COUNTED_QUERY = CountedQuerySchema()
_REPORT = AchievementSchema()


@bp.get("/figures/achievement")
@require("figures.view")
@documented(AchievementSchema, query=AchievementQuerySchema)
def achievement_report():
    """An indicator's achievement for a period: per unit realisation, denominator and %, and the total row.

    Cumulative indicators count from 1 January to the period's end. The
    total is the ratio of the sums (its denominator the agency-wide target
    or population where one is set).
    """
    return _REPORT.dump(report_for(current_user.agency, load_args(_QUERY)))


@bp.get("/figures/achievement/counted")
@require("figures.view")
@documented(CountedSchema, query=CountedQuerySchema, paging="offset")
def achievement_counted():
    """The clients or records behind one number of a report (``row`` = a row's ``key``, or ``total``).

    ``total`` of the pages equals the number drilled into. Client names are
    given to users who may read the client registry only, masked without ``clients.identity``.
    """
    args = load_args(_COUNTED_QUERY)
    shown = report_for(current_user.agency, args)
    row_key, part = args.get("row", TOTAL_ROW), args.get("part", REALISATION)
    select = counted(current_user.agency, shown.indicator, shown.period, row_key, part, closed_keyed(shown))
    page = paginate_counted(select)
    exclude = () if can(current_user, "clients.view") else ("client_name",)
    items = CountedSchema(exclude=exclude).dump(page.items, many=True)
    if not exclude and not may_see_identity():
        for item in items:
            item["client_name"] = mask_name(item["client_name"])
    return {"items": items, **page_meta(page)}


@bp.get("/figures/spm-index")
@require("figures.view")
@documented(SpmIndexSchema, query=PeriodQuerySchema)
def spm_index():
    """The SPM index of a period per service type of the agency's level and overall, with its band."""
    args = load_args(PeriodQuerySchema())
    agency = current_user.agency
    period = parse_period(args.get("year"), args.get("quarter"), args.get("month"))
    rows, overall = spm.spm_index(agency, period, parse_places(args.get("places")))
    weights = {"recipients": agency.spm_weight_recipients, "quality": agency.spm_weight_quality}
    return SpmIndexSchema().dump({"weights": weights, "types": rows, "overall": overall})
