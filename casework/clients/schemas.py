"""API schemas for clients.

Input fields are loose on purpose (text, booleans, whole numbers): dates,
codes, NIK and KK are checked by the services, which answer in Indonesian by
field for pages and API alike.
"""

from flask import url_for
from marshmallow import Schema, fields, post_dump

from casework.clients.identity import identity_warnings
from casework.core.masking import masked_dump


class ClientCategorySchema(Schema):
    """A category a client holds, with its period."""

    category_id = fields.Int()
    slug = fields.Function(lambda held: held.category.slug)
    name = fields.Function(lambda held: held.category.name)
    counting_unit = fields.Function(lambda held: held.category.counting_unit.value)
    since = fields.Date()
    until = fields.Date(allow_none=True)


class ClientSchema(Schema):
    """A client as the API returns it; ``version`` goes back with a change."""

    uuid = fields.UUID()
    full_name = fields.Str()
    aliases = fields.Str(allow_none=True)
    sex = fields.Str(allow_none=True)
    birth_date = fields.Date(allow_none=True)
    birth_year = fields.Int(allow_none=True)
    birth_year_estimated = fields.Bool()
    place_of_birth = fields.Str(allow_none=True)
    mother_name = fields.Str(allow_none=True)
    nik = fields.Str(allow_none=True)
    kk_number = fields.Str(allow_none=True)
    has_ktp = fields.Bool()
    has_kk = fields.Bool()
    has_akta = fields.Bool()
    has_kia = fields.Bool()
    phone = fields.Str(allow_none=True)
    address = fields.Str(allow_none=True)
    domicile_region_code = fields.Str(allow_none=True)
    origin_region_code = fields.Str(allow_none=True)
    categories = fields.List(fields.Nested(ClientCategorySchema))
    # Served to signed-in staff of the agency only; None when the client has no photo.
    photo_url = fields.Function(
        lambda client: url_for("files.serve", file_uuid=client.photo.uuid) if client.photo_id else None
    )
    # Retired region codes in the NIK or KK, and where the NIK disagrees with what was typed.
    identity_warnings = fields.Function(identity_warnings)
    created_at = fields.AwareDateTime()
    # The client this record was merged into (it then stands for it), or null.
    merged_into = fields.Function(lambda client: str(client.merged_into.uuid) if client.merged_into else None)
    version = fields.Int()

    @post_dump(pass_original=True)
    def mask_identity(self, data, client, **_kwargs):
        """Names, NIK, KK, phone and address masked for users who may not read them (role, or restricted in a list)."""
        return masked_dump(data, client)


class CandidateSchema(Schema):
    """A possible duplicate: the existing client in brief, its score and the reasons."""

    uuid = fields.Function(lambda match: str(match.client.uuid))
    full_name = fields.Function(lambda match: match.client.full_name)
    birth_date = fields.Function(lambda match: match.client.birth_date)
    birth_year = fields.Function(lambda match: match.client.birth_year)
    score = fields.Int()
    reasons = fields.List(fields.Str())


class CategoryInputSchema(Schema):
    """A category held from ``since`` (YYYY-MM-DD) until ``until`` (open when absent)."""

    category_id = fields.Int(required=True, strict=True)
    since = fields.Str(allow_none=True)
    until = fields.Str(allow_none=True)


class ClientInputSchema(Schema):
    """A client's fields as sent; every one optional here, required ones are reported by the service."""

    full_name = fields.Str(allow_none=True)
    aliases = fields.Str(allow_none=True)
    sex = fields.Str(allow_none=True)
    birth_date = fields.Str(allow_none=True)
    birth_year = fields.Int(allow_none=True, strict=True)
    birth_year_estimated = fields.Bool()
    place_of_birth = fields.Str(allow_none=True)
    mother_name = fields.Str(allow_none=True)
    nik = fields.Str(allow_none=True)
    kk_number = fields.Str(allow_none=True)
    has_ktp = fields.Bool()
    has_kk = fields.Bool()
    has_akta = fields.Bool()
    has_kia = fields.Bool()
    phone = fields.Str(allow_none=True)
    address = fields.Str(allow_none=True)
    domicile_region_code = fields.Str(allow_none=True)
    origin_region_code = fields.Str(allow_none=True)
    categories = fields.List(fields.Nested(CategoryInputSchema))


class ClientCreateSchema(ClientInputSchema):
    """A new client: the device's UUID (retries reuse it) and, after seeing the candidates, ``confirm_new``."""

    uuid = fields.Str(allow_none=True)
    confirm_new = fields.Bool()


class VersionSchema(Schema):
    """The version of the client a change was made from (a photo upload or removal)."""

    version = fields.Int(required=True)


class ClientPatchSchema(ClientInputSchema):
    """A change to a client: the fields to change, the version it was read at, and ``confirm_distinct``.

    ``confirm_distinct`` is sent after seeing the candidates of a refused change
    to a name, birth, sex, mother or origin: the client is not any of them.
    """

    version = fields.Int(required=True, strict=True)
    confirm_distinct = fields.Bool()


class MergeSchema(Schema):
    """A merge of one client record into another: what moved, what stayed, and whether it was undone."""

    id = fields.Int()
    survivor_uuid = fields.Function(lambda merge: str(merge.survivor.uuid))
    merged_uuid = fields.Function(lambda merge: str(merge.merged.uuid))
    reason = fields.Str()
    # {"table.column": [primary keys]}: the rows that moved to the survivor, and those that stayed (unique clash).
    moved = fields.Dict(keys=fields.Str(), values=fields.List(fields.Raw()))
    left = fields.Dict(keys=fields.Str(), values=fields.List(fields.Raw()))
    merged_at = fields.AwareDateTime()
    undone_at = fields.AwareDateTime(allow_none=True)
    undo_reason = fields.Str(allow_none=True)


class MergeCreateSchema(Schema):
    """Merging ``merged_uuid`` into the client of the URL, both at the versions read."""

    merged_uuid = fields.Str(required=True)
    reason = fields.Str(allow_none=True)
    survivor_version = fields.Int(required=True, strict=True)
    merged_version = fields.Int(required=True, strict=True)


class MergeUndoSchema(Schema):
    """Undoing a merge: why."""

    reason = fields.Str(allow_none=True)
