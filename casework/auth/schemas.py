"""API schemas for the signed-in user and API tokens."""

from marshmallow import Schema, fields, validate


class UserSchema(Schema):
    """A user as the API shows it."""

    id = fields.Int()
    username = fields.Str()
    full_name = fields.Str()
    role = fields.Function(lambda user: user.role.value)
    scope_kind = fields.Function(lambda user: user.scope_kind.value)
    region_codes = fields.List(fields.Str())
    unit_id = fields.Int()
    agency_id = fields.Int()


class TokenSchema(Schema):
    """An API token's metadata; the secret itself is only in the create response."""

    id = fields.Int()
    name = fields.Str()
    prefix = fields.Str()
    created_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime()
    last_used_at = fields.AwareDateTime(allow_none=True)
    revoked_at = fields.AwareDateTime(allow_none=True)


class IssuedTokenSchema(TokenSchema):
    """A newly issued token: its metadata and, this once, the secret."""

    token = fields.Str(metadata={"description": "The bearer secret; never shown again."})


class TokenCreateSchema(Schema):
    """Input for issuing a token."""

    name = fields.Str(required=True, validate=validate.Length(min=1, max=80))
