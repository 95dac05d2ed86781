"""API endpoints for reference data (regions, categories, services)."""

from flask import request
from flask_babel import gettext as _
from marshmallow import ValidationError

from casework.api import bp
from casework.api.openapi import documented
from casework.core.errors import NotFound, ValidationFailed
from casework.core.permissions import require
from casework.reference import services
from casework.reference.schemas import (
    CategorySchema,
    PsksTypeSchema,
    RegionDetailSchema,
    RegionQuerySchema,
    RegionSchema,
    ServiceSchema,
    SpmServiceTypeSchema,
)


@bp.get("/regions")
@require("reference.view")
@documented(RegionSchema, many=True, query=RegionQuerySchema)
def search_regions():
    """Regions by name prefix: ``q`` (2+ letters), optional ``level`` 1–4, ``within`` a code, ``limit`` ≤ 50."""
    try:
        args = RegionQuerySchema().load(request.args.to_dict())
    except ValidationError as error:
        raise ValidationFailed(_("Parameter pencarian tidak valid."), fields=error.normalized_messages()) from error
    regions = services.search_regions(**args)
    return {"items": RegionSchema(many=True).dump(regions)}


@bp.get("/regions/<code>")
@require("reference.view")
@documented(RegionDetailSchema)
def get_region(code):
    """One region by code, dotted ("32.75") or not ("3275"); retired regions included."""
    region = services.get_region(code)
    if region is None:
        raise NotFound(_("Kode wilayah %(code)s tidak dikenal.", code=code))
    return RegionDetailSchema().dump(region)


@bp.get("/categories")
@require("reference.view")
@documented(CategorySchema, many=True)
def list_categories():
    """Every PPKS category, national order first, with local codes."""
    return {"items": CategorySchema(many=True).dump(services.list_categories())}


@bp.get("/services")
@require("reference.view")
@documented(ServiceSchema, many=True)
def list_services():
    """The service catalogue."""
    return {"items": ServiceSchema(many=True).dump(services.list_services())}


@bp.get("/spm-service-types")
@require("reference.view")
@documented(SpmServiceTypeSchema, many=True)
def list_spm_service_types():
    """The SPM service types with their packages."""
    return {"items": SpmServiceTypeSchema(many=True).dump(services.list_spm_service_types())}


@bp.get("/psks-types")
@require("reference.view")
@documented(PsksTypeSchema, many=True)
def list_psks_types():
    """The 12 PSKS types."""
    return {"items": PsksTypeSchema(many=True).dump(services.list_psks_types())}
