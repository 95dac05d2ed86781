"""API schemas for reference data: regions, categories, services, SPM service types, PSKS types."""

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, fields, validate

from casework.reference.models import CountingUnit, GovLevel, SpmGroup, SpmSetting


class RegionSchema(Schema):
    """A region as search results list it."""

    code = fields.Str()
    name = fields.Str()
    kind = fields.Str()
    level = fields.Int()
    path = fields.Str()
    postal_code = fields.Str(allow_none=True)


class RegionDetailSchema(RegionSchema):
    """One region, with its parent and the code-table version it was last seen in."""

    parent_code = fields.Str(allow_none=True)
    table_version = fields.Str()
    retired = fields.Bool()


class RegionQuerySchema(Schema):
    """Query arguments of the region search; other arguments (cache busters) are ignored."""

    class Meta:
        unknown = EXCLUDE

    q = fields.Str(required=True, error_messages={"required": _l("Wajib diisi.")})
    level = fields.Int(
        load_default=None,
        validate=validate.Range(min=1, max=4, error=_l("Tingkat wilayah 1 sampai 4.")),
        error_messages={"invalid": _l("Tingkat wilayah 1 sampai 4.")},
    )
    within = fields.Str(load_default=None)
    limit = fields.Int(
        load_default=20,
        validate=validate.Range(min=1, error=_l("Harus bilangan bulat positif.")),
        error_messages={"invalid": _l("Harus bilangan bulat positif.")},
    )


class LocalCodeSchema(Schema):
    """A local code, as listed under its category."""

    code_set = fields.Str()
    code = fields.Str()
    name = fields.Str()


class CategorySchema(Schema):
    """A PPKS category with its local codes."""

    id = fields.Int()
    slug = fields.Str()
    national_ordinal = fields.Int(allow_none=True)
    name = fields.Str()
    name_en = fields.Str()
    counting_unit = fields.Enum(CountingUnit, by_value=True)
    spm_group = fields.Enum(SpmGroup, by_value=True, allow_none=True)
    sensitive = fields.Bool()
    active = fields.Bool()
    local_codes = fields.List(fields.Nested(LocalCodeSchema))


class ServiceSchema(Schema):
    """A service of the catalogue."""

    id = fields.Int()
    slug = fields.Str()
    name = fields.Str()
    name_en = fields.Str()
    budget_code = fields.Str(allow_none=True)
    default_unit = fields.Str()
    max_days = fields.Int(allow_none=True)
    active = fields.Bool()


class PackageItemSchema(Schema):
    """A service in an SPM package, in the standard's order."""

    ordinal = fields.Int()
    slug = fields.Str(attribute="service.slug")
    name = fields.Str(attribute="service.name")


class SpmServiceTypeSchema(Schema):
    """An SPM service type with its package."""

    id = fields.Int()
    code = fields.Str()
    level = fields.Enum(GovLevel, by_value=True)
    ordinal = fields.Int()
    name = fields.Str()
    name_en = fields.Str()
    setting = fields.Enum(SpmSetting, by_value=True)
    target_group = fields.Enum(SpmGroup, by_value=True)
    package = fields.List(fields.Nested(PackageItemSchema))


class PsksTypeSchema(Schema):
    """A PSKS type."""

    id = fields.Int()
    slug = fields.Str()
    ordinal = fields.Int()
    name = fields.Str()
    name_en = fields.Str()
