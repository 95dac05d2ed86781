"""Helpers shared by API endpoints: loading input through a marshmallow schema."""

from flask import request
from flask_babel import gettext as _
from marshmallow import ValidationError

from casework.core.errors import ValidationFailed


def load_json(schema):
    """The request's JSON body loaded by ``schema``; a clear 422 when it is missing or invalid."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed(_("Isi permintaan harus berupa objek JSON."))
    try:
        return schema.load(body)
    except ValidationError as error:
        raise ValidationFailed(_("Data yang dikirim tidak valid."), fields=error.normalized_messages()) from error
