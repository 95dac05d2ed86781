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
    return _load(schema, body)


def load_form(schema):
    """The text fields of a multipart or form request loaded by ``schema`` (files are read separately)."""
    return _load(schema, request.form.to_dict())


def load_args(schema):
    """The query arguments loaded by ``schema`` (which should exclude unknown ones, such as the pager's)."""
    return _load(schema, request.args.to_dict())


def _load(schema, body):
    """``body`` loaded by ``schema``; a clear 422 naming the fields when it is invalid."""
    try:
        return schema.load(body)
    except ValidationError as error:
        raise ValidationFailed(_("Data yang dikirim tidak valid."), fields=error.normalized_messages()) from error
