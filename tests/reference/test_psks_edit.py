"""An administrator edits the names of a PSKS type; nobody else may."""

import pytest

from casework.auth.models import Role
from casework.extensions import db
from casework.reference.models import PsksType
from tests.reference.helpers import audit_rows, by_slug

TKSK = "Tenaga kesejahteraan sosial kecamatan (TKSK)"


def test_admin_renames_a_psks_type_with_an_audit_row(client, admin):
    tksk = by_slug(PsksType, "tksk")
    assert f'href="/reference/psks-types/{tksk.id}/edit"' in client.get("/reference/psks-types").get_data(as_text=True)
    assert TKSK in client.get(f"/reference/psks-types/{tksk.id}/edit").get_data(as_text=True)

    response = client.post(
        f"/reference/psks-types/{tksk.id}/edit", data={"name": " TKSK ", "name_en": "District welfare volunteer"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/reference/psks-types"
    db.session.refresh(tksk)
    assert tksk.name == "TKSK"
    [event] = audit_rows("reference.psks_type_updated")
    assert event.actor_id == admin.id and event.object_type == "psks_type" and event.object_id == str(tksk.id)
    assert event.details["changes"] == {"name": [TKSK, "TKSK"]}


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [({"name": "  "}, "Wajib diisi."), ({"name_en": "x" * 121}, "Paling banyak 120 karakter.")],
)
def test_bad_psks_names_are_refused_and_nothing_is_written(client, admin, changes, field_message):
    tksk = by_slug(PsksType, "tksk")
    data = {"name": tksk.name, "name_en": tksk.name_en, **changes}
    response = client.post(f"/reference/psks-types/{tksk.id}/edit", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_message in page and "Periksa kembali isian yang ditandai." in page
    db.session.expire_all()
    assert (by_slug(PsksType, "tksk").name, by_slug(PsksType, "tksk").name_en) == (TKSK, "District welfare volunteer")
    assert audit_rows("reference.psks_type_updated") == []


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.VIEWER])
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_administrators_may_rename_a_psks_type(client, make, login, role, method):
    login(make.user(role=role))
    tksk = by_slug(PsksType, "tksk")
    response = getattr(client, method)(f"/reference/psks-types/{tksk.id}/edit", data={"name": "x", "name_en": "x"})
    assert response.status_code == 403
    assert 'href="/reference/psks-types/' not in client.get("/reference/psks-types").get_data(as_text=True)
    db.session.expire_all()
    assert by_slug(PsksType, "tksk").name == TKSK
    assert audit_rows("reference.psks_type_updated") == []


def test_renaming_a_psks_type_needs_a_signed_in_user(client):
    tksk = by_slug(PsksType, "tksk")
    response = client.post(f"/reference/psks-types/{tksk.id}/edit", data={"name": "x", "name_en": "x"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    db.session.expire_all()
    assert by_slug(PsksType, "tksk").name == TKSK
