"""Merging two records of one person, and undoing it: what moves, what stays, what the registry shows."""

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.clients import merging, queries
from casework.clients.matching import Probe, likely_duplicates
from casework.clients.models import Client, ClientNameToken
from casework.clients.services import update_client
from casework.core.errors import Conflict, ValidationFailed
from casework.extensions import db
from casework.reference.models import Category
from tests.admin.helpers import audit_rows, page_text, table_body


def category_id(slug):
    """The id of the category with ``slug``."""
    return db.session.scalar(sa.select(Category.id).where(Category.slug == slug))


def holdings(client):
    """A client's category rows as (row id, slug, since)."""
    return sorted((held.id, held.category.slug, held.since.isoformat()) for held in client.categories)


@pytest.fixture
def supervisor(staff):
    """A supervisor of the agency."""
    return staff(Role.SUPERVISOR)


@pytest.fixture
def twins(new_client):
    """One person registered twice: both hold "gelandangan" since the same day; the second also "pengemis"."""
    street = {"category_id": category_id("gelandangan"), "since": "2025-01-01"}
    begging = {"category_id": category_id("pengemis"), "since": "2024-06-01"}
    survivor = new_client(full_name="Siti Rahmawati", sex="female", birth_year=1990, categories=[street])
    merged = new_client(full_name="Siti Rahmawaty", sex="female", birth_year=1990, categories=[street, begging])
    return survivor, merged


def merge(twins, actor, reason="Orang yang sama"):
    """Merges the second twin into the first at their current versions."""
    survivor, merged = twins
    return merging.merge_clients(survivor, merged, actor, reason, (survivor.version, merged.version))


def test_every_foreign_key_to_client_is_found_but_tokens_and_merges(app):
    expected = {
        (key.parent.table.name, key.parent.name)
        for table in db.metadata.tables.values()
        for key in table.foreign_keys
        if key.column is Client.__table__.c.id and table.name not in {"client", "client_name_token", "client_merge"}
    }
    found = {(column.table.name, column.name) for column in merging.referencing_columns()}
    assert found == expected
    assert ("client_category", "client_id") in found and ("client_name_token", "client_id") not in found


def test_a_merge_moves_the_rows_and_keeps_the_survivors_on_a_collision(twins, supervisor):
    survivor, merged = twins
    [(kept_id, _slug, _since)] = holdings(survivor)
    [(begging_id, *_), (left_id, *_)] = sorted(holdings(merged), key=lambda row: row[1] != "pengemis")
    done = merge(twins, supervisor)
    assert done.moved == {"client_category.client_id": [begging_id]}
    assert done.left == {"client_category.client_id": [left_id]}
    assert holdings(survivor) == sorted(
        [(kept_id, "gelandangan", "2025-01-01"), (begging_id, "pengemis", "2024-06-01")]
    )
    assert holdings(merged) == [(left_id, "gelandangan", "2025-01-01")]
    assert (merged.merged_into_id, survivor.version, merged.version) == (survivor.id, 2, 2)
    [row] = audit_rows("client.merged")
    assert row.details == {
        "survivor_id": survivor.id,
        "merged_id": merged.id,
        "moved": {"client_category.client_id": 1},
        "left": {"client_category.client_id": 1},
    }


def test_an_undo_restores_exactly(twins, supervisor):
    survivor, merged = twins
    before = (holdings(survivor), holdings(merged))
    done = merge(twins, supervisor)
    merging.undo_merge(done, supervisor, "Ternyata dua orang")
    assert (holdings(survivor), holdings(merged)) == before
    assert merged.merged_into_id is None and done.undone_by_id == supervisor.id and done.undone_at is not None
    assert (survivor.version, merged.version) == (3, 3)
    assert audit_rows("client.merge_undone")[-1].details["restored"] == {"client_category.client_id": 1}
    assert queries.agency_client(merged.agency_id, merged.uuid) == merged
    with pytest.raises(Conflict, match="sudah dibatalkan"):
        merging.undo_merge(done, supervisor, "Lagi")


def test_merged_clients_vanish_from_search_and_candidates(client, login, twins, supervisor, agency):
    survivor, merged = twins
    merge(twins, supervisor)
    assert [match.client for match in likely_duplicates(agency.id, Probe(full_name="Siti Rahmawaty"))] == [survivor]
    assert db.session.scalars(sa.select(ClientNameToken).where(ClientNameToken.client_id == merged.id)).all() == []
    login(supervisor)
    for listing in ("/clients/?q=siti+rahmawaty", "/clients/"):
        body = table_body(client.get(listing))
        assert str(survivor.uuid) in body and str(merged.uuid) not in body


def test_the_merge_is_refused_when_it_makes_no_sense(twins, supervisor, new_client):
    survivor, merged = twins
    with pytest.raises(ValidationFailed) as blank:
        merge(twins, supervisor, reason=" ")
    assert blank.value.fields == {"reason": ["Wajib diisi."]}
    with pytest.raises(Conflict, match="Pilih klien lain"):
        merging.merge_clients(survivor, survivor, supervisor, "x", (survivor.version, survivor.version))
    with pytest.raises(Conflict, match="sudah diubah orang lain"):
        merging.merge_clients(survivor, merged, supervisor, "x", (survivor.version, merged.version + 1))
    done = merge(twins, supervisor)
    with pytest.raises(Conflict, match="sudah digabung ke klien lain"):
        merging.merge_clients(survivor, merged, supervisor, "x", (survivor.version, merged.version))
    with pytest.raises(Conflict, match="sudah digabung ke klien lain"):
        update_client(merged, merged.version, {"phone": "0812"})
    third = new_client(full_name="Orang Ketiga")
    merging.merge_clients(third, survivor, supervisor, "x", (third.version, survivor.version))
    with pytest.raises(Conflict, match="batalkan penggabungan itu dulu"):
        merging.undo_merge(done, supervisor, "x")


def test_the_api_merges_and_undoes(client, login, twins, supervisor):
    survivor, merged = twins
    login(supervisor)
    body = {"merged_uuid": str(merged.uuid), "reason": "NIK sama", "survivor_version": 1, "merged_version": 1}
    response = client.post(f"/api/v1/clients/{survivor.uuid}/merges", json=body)
    assert response.status_code == 201, response.json
    assert (response.json["survivor_uuid"], response.json["merged_uuid"]) == (str(survivor.uuid), str(merged.uuid))
    assert list(response.json["left"]) == ["client_category.client_id"]
    assert client.get(f"/api/v1/clients/{merged.uuid}").json["merged_into"] == str(survivor.uuid)
    undo = client.post(f"/api/v1/client-merges/{response.json['id']}/undo", json={"reason": "Salah pilih"})
    assert undo.status_code == 200 and undo.json["undone_at"] is not None
    assert client.get(f"/api/v1/clients/{merged.uuid}").json["merged_into"] is None
    again = client.post(f"/api/v1/client-merges/{response.json['id']}/undo", json={"reason": "Salah pilih"})
    assert again.status_code == 409


def test_a_stale_version_is_a_409_with_both_clients_and_nothing_moves(client, login, twins, supervisor):
    survivor, merged = twins
    login(supervisor)
    before = holdings(merged)
    body = {"merged_uuid": str(merged.uuid), "reason": "NIK sama", "survivor_version": 0, "merged_version": 1}
    response = client.post(f"/api/v1/clients/{survivor.uuid}/merges", json=body)
    assert response.status_code == 409
    current = response.json["error"]["current"]
    assert (current["survivor"]["version"], current["merged"]["uuid"]) == (1, str(merged.uuid))
    assert holdings(merged) == before and merged.merged_into_id is None
    assert audit_rows("client.merged") == []


def test_caseworkers_may_not_merge_nor_undo(client, login, twins, caseworker, supervisor):
    survivor, merged = twins
    done = merge(twins, supervisor)
    login(caseworker)
    assert client.get(f"/clients/{survivor.uuid}/merge").status_code == 403
    body = {"merged_uuid": str(merged.uuid), "reason": "x", "survivor_version": 2, "merged_version": 2}
    assert client.post(f"/api/v1/clients/{survivor.uuid}/merges", json=body).status_code == 403
    assert client.post(f"/api/v1/client-merges/{done.id}/undo", json={"reason": "x"}).status_code == 403
    assert client.post(f"/clients/merges/{done.id}/undo", data={"reason": "x"}).status_code == 403
    page = page_text(client.get(f"/clients/{survivor.uuid}"))
    assert "Gabungkan dengan klien lain" not in page and "Batalkan penggabungan" not in page


def test_a_supervisor_merges_and_undoes_through_the_pages(client, login, twins, supervisor):
    survivor, merged = twins
    login(supervisor)
    assert f"/clients/{survivor.uuid}/merge" in page_text(client.get(f"/clients/{survivor.uuid}"))
    search = page_text(client.get(f"/clients/{survivor.uuid}/merge?q=siti+rahmawaty"))
    assert f"other={merged.uuid}" in search and f"other={survivor.uuid}" not in search
    chosen = page_text(client.get(f"/clients/{survivor.uuid}/merge?other={merged.uuid}"))
    assert "Dipertahankan" in chosen and "Siti Rahmawaty" in chosen and "Pengemis" in chosen
    unchosen = client.post(f"/clients/{survivor.uuid}/merge", data={"reason": "Orang yang sama"})
    assert unchosen.status_code == 422 and "Pilih dulu data lain" in page_text(unchosen)
    data = {"merged_uuid": str(merged.uuid), "survivor_version": 1, "merged_version": 1, "reason": ""}
    refused = client.post(f"/clients/{survivor.uuid}/merge", data=data)
    assert refused.status_code == 422 and "Wajib diisi." in page_text(refused)
    done = client.post(f"/clients/{survivor.uuid}/merge", data={**data, "reason": "Orang yang sama"})
    assert done.status_code == 302 and done.headers["Location"] == f"/clients/{survivor.uuid}"
    detail = page_text(client.get(f"/clients/{survivor.uuid}"))
    assert "Orang yang sama" in detail and "Batalkan penggabungan" in detail
    tombstone = page_text(client.get(f"/clients/{merged.uuid}"))
    assert f'Data ini sudah digabung ke\n  <a href="/clients/{survivor.uuid}">Siti Rahmawati</a>' in tombstone
    assert "Ubah data" not in tombstone and "Gabungkan dengan klien lain" not in tombstone
    [merge_row] = audit_rows("client.merged")
    undone = client.post(f"/clients/merges/{merge_row.object_id}/undo", data={"reason": "Ternyata berbeda"})
    assert undone.status_code == 302
    assert "dibatalkan" in page_text(client.get(f"/clients/{survivor.uuid}"))
    assert "sudah digabung ke" not in page_text(client.get(f"/clients/{merged.uuid}"))
