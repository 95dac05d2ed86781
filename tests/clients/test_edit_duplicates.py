"""Edits that make a client look like another are refused with the candidates until confirmed distinct."""

import pytest

from casework.clients.services import PossibleDuplicate, update_client
from tests.admin.helpers import audit_rows, page_text


@pytest.fixture
def pair(new_client):
    """Two clients: "Muhammad Rizki" (male, 2011) and "Budi Santoso", who is about to be renamed like him."""
    rizki = new_client(full_name="Muhammad Rizki", sex="male", birth_year=2011)
    budi = new_client(full_name="Budi Santoso", sex="male", birth_year=2011)
    return rizki, budi


def test_a_rename_like_another_client_is_refused_with_candidates_until_confirmed(pair):
    rizki, budi = pair
    with pytest.raises(PossibleDuplicate) as refused:
        update_client(budi, budi.version, {"full_name": "Moh. Rizky"})
    assert refused.value.confirmable is True
    assert [match.client for match in refused.value.matches] == [rizki]
    update_client(budi, budi.version, {"full_name": "Moh. Rizky"}, confirm_distinct=True)
    assert (budi.full_name, budi.version) == ("Moh. Rizky", 2)
    assert audit_rows("client.updated")[-1].details == {"fields": ["full_name"], "confirmed_distinct": True}


def test_the_client_itself_is_never_its_own_candidate(new_client):
    alone = new_client(full_name="Sutrisno", sex="male", birth_year=1950)
    update_client(alone, alone.version, {"full_name": "Soetrisno", "birth_year": 1951})
    assert (alone.full_name, alone.birth_year) == ("Soetrisno", 1951)


def test_an_edit_of_other_fields_never_asks(new_client):
    first = new_client(full_name="Wagiman", sex="male", birth_year=1947)
    twin = new_client(full_name="Wagiman", sex="male", birth_year=1947)
    update_client(twin, twin.version, {"phone": "08123456789", "address": "Pasar Baru"})
    assert (twin.phone, twin.version, first.version) == ("08123456789", 2, 1)
    assert audit_rows("client.updated")[-1].details["confirmed_distinct"] is False


def test_the_edit_page_shows_the_candidates_then_saves_when_confirmed(client, login, caseworker, pair):
    rizki, budi = pair
    login(caseworker)
    data = {"full_name": "Moh. Rizky", "sex": "male", "birth_year": "2011", "version": budi.version}
    response = client.post(f"/clients/{budi.uuid}/edit", data=data)
    assert response.status_code == 409
    page = page_text(response)
    assert "klien mirip klien lain" in page and f'href="/clients/{rizki.uuid}">Lihat klien ini' in page
    assert 'name="confirm_distinct"' in page and "Tetap daftarkan baru" not in page
    assert client.post(f"/clients/{budi.uuid}/edit", data={**data, "confirm_distinct": "1"}).status_code == 302
    assert audit_rows("client.updated")[-1].details["confirmed_distinct"] is True


def test_the_api_patch_is_a_409_with_candidates_until_confirmed(client, login, caseworker, pair):
    rizki, budi = pair
    login(caseworker)
    body = {"full_name": "Moh. Rizky", "version": budi.version}
    response = client.patch(f"/api/v1/clients/{budi.uuid}", json=body)
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "possible_duplicate" and error["current"]["confirmable"] is True
    assert [candidate["uuid"] for candidate in error["current"]["candidates"]] == [str(rizki.uuid)]
    confirmed = client.patch(f"/api/v1/clients/{budi.uuid}", json={**body, "confirm_distinct": True})
    assert confirmed.status_code == 200 and confirmed.json["full_name"] == "Moh. Rizky"
