"""The OpenAPI 3 document of /api/v1, built from the live URL map and the views' declarations.

Each API view declares what it takes and returns with ``@documented(...)``;
paths, methods, path parameters and summaries come from the URL map and the
docstrings, so a new feature's endpoints appear without anyone editing this
module. A view that declares nothing still appears, without a response
schema, and a test fails on it.
"""

import re
from dataclasses import dataclass
from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app
from marshmallow import Schema, fields

from casework.api import bp
from casework.core.permissions import public

API_PREFIX = "/api/v1/"
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
BODY_METHODS = frozenset({"POST", "PATCH", "PUT"})
PAGING = frozenset({"offset", "cursor"})

# The refusals of casework.core.errors, all in the one envelope.
ERRORS = {
    401: "Not signed in: no valid bearer token or session.",
    403: "Signed in, but the user's role may not do this.",
    404: "No such record in the user's agency.",
    409: "The record changed since it was read, or clashes with another; `current` holds the state now.",
    422: "Invalid input; `fields` maps each field to its messages.",
}

# Werkzeug rule variables: <name>, <converter:name>, <converter(args):name>.
_VARIABLE = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_CONVERTER_TYPES = {
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "uuid": {"type": "string", "format": "uuid"},
}


class ErrorDetailSchema(Schema):
    """What went wrong: a stable code, a message for people, and per-field messages."""

    code = fields.Str(required=True)
    message = fields.Str(required=True)
    fields_ = fields.Dict(data_key="fields", required=True)
    current = fields.Raw(metadata={"description": "The record as it is now (409 only)."})


class ErrorSchema(Schema):
    """The envelope of every API error."""

    error = fields.Nested(ErrorDetailSchema, required=True)


@dataclass(frozen=True)
class ApiDoc:
    """What a view takes and returns; see ``documented``."""

    response: type[Schema] | dict
    body: type[Schema] | None
    query: type[Schema] | None
    filters: tuple
    many: bool
    paging: frozenset
    statuses: tuple
    upload: str | None


def documented(response, *, body=None, query=None, filters=(), many=False, paging=(), status=200, upload=None):
    """Declares a view's schemas for the OpenAPI document.

    ``response`` is a marshmallow schema class (or a raw OpenAPI schema dict);
    ``many`` wraps it in ``{"items": [...]}``; ``paging`` names the pagers the
    list supports (``"offset"``: ``page``/``per_page`` and totals, ``"cursor"``:
    ``cursor``/``per_page`` and ``next_cursor``). ``body`` is the JSON input
    schema, ``query`` a schema of query arguments, ``filters`` the names of
    plain-text query filters, ``status`` one success code or a tuple of them.
    ``upload`` names the file part of a multipart body; ``body`` then holds
    its text parts.
    """
    paging = frozenset((paging,) if isinstance(paging, str) else paging)
    if paging - PAGING:
        raise ValueError(f"unknown paging {sorted(paging - PAGING)}")
    statuses = status if isinstance(status, tuple) else (status,)

    def decorator(view):
        view.api_doc = ApiDoc(response, body, query, tuple(filters), many or bool(paging), paging, statuses, upload)
        return view

    return decorator


def _page_schema(doc):
    """The response schema of ``doc``: the item schema itself, or a list envelope with the paging facts."""
    if not doc.many:
        return doc.response
    properties = {"items": {"type": "array", "items": doc.response}}
    integer = {"type": "integer"}
    if doc.paging:
        properties["per_page"] = integer
    if "offset" in doc.paging:
        properties.update(page=integer, total=integer, pages=integer)
        properties["more"] = {
            "type": "boolean",
            "description": "True when `total` stopped counting (at 10,000 past the page's start): there are more.",
        }
    if "cursor" in doc.paging:
        properties["next_cursor"] = {
            "type": "string",
            "nullable": True,
            "description": "Pass as `cursor` for the next page; null on the last page.",
        }
    return {"type": "object", "required": ["items"], "properties": properties}


def _paging_parameters(doc):
    """The query parameters of the pagers a list supports."""
    parameters = []
    if "cursor" in doc.paging:
        description = "Opaque position from a previous response's `next_cursor`; omit for the first page."
        parameters.append({"in": "query", "name": "cursor", "schema": {"type": "string"}, "description": description})
    if "offset" in doc.paging:
        parameters.append({"in": "query", "name": "page", "schema": {"type": "integer", "minimum": 1}})
    if doc.paging:
        cap = current_app.config["PER_PAGE_MAX"]
        schema = {"type": "integer", "minimum": 1, "maximum": cap, "default": current_app.config["PER_PAGE_DEFAULT"]}
        description = f"Items per page; larger values are capped at {cap}."
        parameters.append({"in": "query", "name": "per_page", "schema": schema, "description": description})
    if doc.query is not None:
        parameters.append({"in": "query", "schema": doc.query})
    parameters += [{"in": "query", "name": name, "schema": {"type": "string"}} for name in doc.filters]
    return parameters


def _operation(rule, method, view, variables):
    """The OpenAPI operation for ``method`` on ``rule``, served by ``view``."""
    lines = (view.__doc__ or "").strip().splitlines()
    operation = {
        "operationId": rule.endpoint.removeprefix(f"{bp.name}.") + ("" if len(_methods(rule)) == 1 else f"_{method}"),
        "summary": lines[0] if lines else rule.endpoint,
        "tags": [view.__module__.removeprefix("casework.").split(".")[0]],
        "parameters": [
            {
                "in": "path",
                "name": name,
                "required": True,
                "schema": _CONVERTER_TYPES.get(converter, {"type": "string"}),
            }
            for converter, name in variables
        ],
        "responses": {},
    }
    doc = getattr(view, "api_doc", None)
    if doc is None:
        operation["responses"]["default"] = {"description": "Undocumented: the view has no @documented."}
    else:
        content = {"application/json": {"schema": _page_schema(doc)}}
        for status in doc.statuses:
            operation["responses"][str(status)] = {"description": "Success.", "content": content}
        operation["parameters"] += _paging_parameters(doc)
        if doc.upload is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"multipart/form-data": {"schema": _multipart(doc)}},
            }
        elif doc.body is not None and method in BODY_METHODS:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": doc.body}}}
    errors = []
    if getattr(view, "permission", None) is not None:
        errors += [401, 403]
    else:
        operation["security"] = []
    errors += [404] if variables else []
    errors += [409] if method in WRITE_METHODS else []
    errors += [422] if method in BODY_METHODS or (doc and (doc.paging or doc.query or doc.filters)) else []
    operation["responses"].update({str(status): {"$ref": f"#/components/responses/{status}"} for status in errors})
    return operation


def _multipart(doc):
    """A multipart body: the file part named by ``doc.upload`` and the text parts of ``doc.body``, in one object.

    Inlined rather than ``allOf`` with the body's component: that one allows no other properties, so the
    file part could never be added to it (no request would satisfy the document).
    """
    body = _inline_schema(doc.body) if doc.body is not None else {"type": "object", "properties": {}}
    properties = {**body.get("properties", {}), doc.upload: {"type": "string", "format": "binary"}}
    return {**body, "properties": properties, "required": sorted({*body.get("required", []), doc.upload})}


@cache
def _inline_schema(schema):
    """The JSON schema of a marshmallow ``schema``, nested schemas inlined (no component references)."""
    plugin = MarshmallowPlugin(schema_name_resolver=lambda _schema: None)
    APISpec(title="inline", version="1", openapi_version="3.0.3", plugins=[plugin])
    return plugin.converter.schema2jsonschema(schema)


def _methods(rule):
    """The methods a rule serves, without the ones Flask adds by itself."""
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def api_rules(app):
    """The URL rules of the API blueprint, in path order."""
    return sorted((rule for rule in app.url_map.iter_rules() if rule.rule.startswith(API_PREFIX)), key=str)


def build_spec(app):
    """The OpenAPI 3 document (a dict) for every route under /api/v1 of ``app``."""
    spec = APISpec(
        title="Casework API",
        version="1",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Case management for Dinas Sosial. Errors use the envelope `Error`."},
        security=[{"bearer": []}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=ErrorSchema)
    for status, description in ERRORS.items():
        envelope = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        spec.components.response(str(status), {"description": description, "content": envelope})
    paths = {}
    for rule in api_rules(app):
        view = app.view_functions[rule.endpoint]
        variables = [(match["converter"], match["name"]) for match in _VARIABLE.finditer(rule.rule)]
        path = _VARIABLE.sub(lambda match: "{" + match["name"] + "}", rule.rule)
        operations = paths.setdefault(path, {})
        for method in _methods(rule):
            operations[method.lower()] = _operation(rule, method, view, variables)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


@bp.get("/openapi.json")
@public
@documented({"type": "object", "description": "An OpenAPI 3.0 document."})
def openapi_document():
    """The OpenAPI 3 document of every /api/v1 endpoint: parameters, schemas and errors."""
    # The URL map is fixed once the app has started, so the document is built once.
    if "casework.openapi" not in current_app.extensions:
        current_app.extensions["casework.openapi"] = build_spec(current_app)
    return current_app.extensions["casework.openapi"]
