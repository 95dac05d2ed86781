"""API schemas for units, partner organisations and user accounts.

Input schemas check shapes and types only; the rules (required values,
lengths, regions, scope) are the services', so the API and the pages answer
alike. Every input field is optional here: a missing one reaches the service
as None and is reported there, in Indonesian, by field.
"""

from marshmallow import Schema, fields

from casework.auth.schemas import UserSchema


class DirectoryEntrySchema(Schema):
    """A unit or partner as the directory shows it to all staff."""

    id = fields.Int()
    name = fields.Str()
    kind = fields.Str()
    partner_type = fields.Str(allow_none=True)
    capacity = fields.Int(allow_none=True)
    region_code = fields.Str(allow_none=True)
    region_name = fields.Function(lambda unit: unit.region.path if unit.region else None)
    address = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)


class UnitSchema(DirectoryEntrySchema):
    """A unit as administrators see it; ``version`` goes back with a change."""

    code = fields.Str()
    parent_id = fields.Int(allow_none=True)
    active = fields.Bool()
    version = fields.Int()


class UnitInputSchema(Schema):
    """A new unit or partner organisation."""

    code = fields.Str(allow_none=True)
    name = fields.Str(allow_none=True)
    kind = fields.Str(allow_none=True)
    partner_type = fields.Str(allow_none=True)
    capacity = fields.Int(allow_none=True, strict=True)
    region_code = fields.Str(allow_none=True)
    parent_id = fields.Int(allow_none=True, strict=True)
    address = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)


class UnitPatchSchema(UnitInputSchema):
    """A change to a unit: the fields to change, and the version it was read at."""

    version = fields.Int(required=True, strict=True)
    active = fields.Bool()


class AdminUserSchema(UserSchema):
    """An account as administrators see it; ``version`` goes back with a change."""

    email = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    unit_name = fields.Function(lambda user: user.unit.name)
    active = fields.Bool()
    created_at = fields.AwareDateTime()
    last_login_at = fields.AwareDateTime(allow_none=True)
    version = fields.Int()


class UserInputSchema(Schema):
    """An account's details."""

    username = fields.Str(allow_none=True)
    full_name = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    role = fields.Str(allow_none=True)
    unit_id = fields.Int(allow_none=True, strict=True)
    scope_kind = fields.Str(allow_none=True)
    region_codes = fields.List(fields.Str())


class UserCreateSchema(UserInputSchema):
    """A new account with its initial password."""

    password = fields.Str(allow_none=True)


class UserPatchSchema(UserInputSchema):
    """A change to an account: the fields to change, and the version it was read at."""

    version = fields.Int(required=True, strict=True)
    active = fields.Bool()
