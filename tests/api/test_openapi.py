"""The OpenAPI document: valid, public, and complete for every /api/v1 route, including new features'."""

from openapi_spec_validator import validate

from casework.api.openapi import api_rules

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def openapi_path(rule):
    """The OpenAPI form of a Flask rule: ``<int:unit_id>`` → ``{unit_id}``."""
    return "/".join("{" + part[1:-1].split(":")[-1] + "}" if part.startswith("<") else part for part in rule.split("/"))


def success(operation):
    """The operation's 2xx responses."""
    return {status: response for status, response in operation["responses"].items() if status.startswith("2")}


def test_the_document_is_a_valid_openapi_3_document_served_without_signing_in(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.")
    validate(document)
    assert document["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert document["security"] == [{"bearer": []}]
    assert document["paths"]["/api/v1/openapi.json"]["get"]["security"] == []


def test_every_api_route_is_documented_with_a_response_schema(app, client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    rules = api_rules(app)
    assert len(rules) > 20
    missing, undocumented = [], []
    for rule in rules:
        operations = paths.get(openapi_path(rule.rule), {})
        for method in {m.lower() for m in rule.methods} & HTTP_METHODS:
            operation = operations.get(method)
            if operation is None:
                missing.append(f"{method.upper()} {rule.rule}")
            elif not any(
                "schema" in r.get("content", {}).get("application/json", {}) for r in success(operation).values()
            ):
                undocumented.append(f"{method.upper()} {rule.rule} (add @documented to {rule.endpoint})")
    assert missing == []
    assert undocumented == []


def test_operations_carry_summary_parameters_bodies_and_error_envelopes(client):
    document = client.get("/api/v1/openapi.json").json
    patch = document["paths"]["/api/v1/units/{unit_id}"]["patch"]
    assert patch["summary"].startswith("Changes the fields given")
    assert patch["parameters"] == [{"in": "path", "name": "unit_id", "required": True, "schema": {"type": "integer"}}]
    assert patch["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/UnitPatch"}
    assert patch["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Unit"}
    assert {"401", "403", "404", "409", "422"} <= set(patch["responses"])
    assert patch["responses"]["409"] == {"$ref": "#/components/responses/409"}
    envelope = document["components"]["schemas"]["Error"]
    detail = document["components"]["schemas"]["ErrorDetail"]
    assert envelope["properties"]["error"] == {"$ref": "#/components/schemas/ErrorDetail"}
    assert set(detail["properties"]) == {"code", "message", "fields", "current"}
    created = document["paths"]["/api/v1/clients"]["post"]["responses"]
    assert {"200", "201"} <= set(created)
    regions = document["paths"]["/api/v1/regions"]["get"]
    assert {"q", "level", "within", "limit"} <= {parameter["name"] for parameter in regions["parameters"]}


def test_cursor_paging_is_documented_on_the_client_list(app, client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/clients"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert {"cursor", "per_page", "page"} <= set(parameters)
    assert parameters["per_page"]["schema"]["maximum"] == app.config["PER_PAGE_MAX"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["properties"]["next_cursor"]["nullable"] is True
    assert body["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Client"}


def test_a_view_without_declarations_still_appears_but_without_a_schema(app):
    from casework.api.openapi import build_spec

    def undeclared():
        """An endpoint someone forgot to document."""

    app.view_functions["api.list_categories"], original = undeclared, app.view_functions["api.list_categories"]
    try:
        with app.test_request_context():
            operation = build_spec(app)["paths"]["/api/v1/categories"]["get"]
    finally:
        app.view_functions["api.list_categories"] = original
    assert operation["summary"] == "An endpoint someone forgot to document."
    assert not any("content" in response for response in success(operation).values())
