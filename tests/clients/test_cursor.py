"""Cursor paging of the client list: every client once and in order, tampered cursors refused, size capped."""

import sqlalchemy as sa

from casework.clients.models import Client
from casework.extensions import db


def newest_first(agency):
    """The agency's client UUIDs, newest first, as the list orders them."""
    select = sa.select(Client.uuid).where(Client.agency_id == agency.id)
    return [str(uuid) for uuid in db.session.scalars(select.order_by(Client.created_at.desc(), Client.id.desc()))]


def walk(client, per_page, between_pages=lambda: None):
    """Every page of the list by cursor: the UUIDs in the order served, and the number of pages."""
    seen, cursor, pages = [], None, 0
    while True:
        query = {"per_page": per_page, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/clients", query_string=query)
        assert response.status_code == 200
        pages += 1
        seen += [item["uuid"] for item in response.json["items"]]
        cursor = response.json["next_cursor"]
        if cursor is None:
            return seen, pages
        between_pages()


def test_walking_by_cursor_serves_every_client_once_in_order(client, login, caseworker, new_client, agency):
    for number in range(7):
        new_client(full_name=f"Klien Nomor {number}")
    login(caseworker)
    seen, pages = walk(client, per_page=3)
    assert seen == newest_first(agency)
    assert len(seen) == 7 and pages == 3


def test_clients_registered_while_paging_neither_repeat_nor_hide_others(client, login, caseworker, new_client, agency):
    for number in range(6):
        new_client(full_name=f"Klien Lama {number}")
    before = newest_first(agency)
    login(caseworker)
    added = []
    seen, pages = walk(client, per_page=2, between_pages=lambda: added.append(new_client(full_name="Klien Baru")))
    assert seen == before
    assert pages == 3 and len(added) == 2


def test_the_last_full_page_says_there_is_no_next(client, login, caseworker, new_client):
    for number in range(4):
        new_client(full_name=f"Klien Nomor {number}")
    login(caseworker)
    first = client.get("/api/v1/clients?per_page=2").json
    last = client.get("/api/v1/clients", query_string={"per_page": 2, "cursor": first["next_cursor"]}).json
    assert len(last["items"]) == 2 and last["next_cursor"] is None


def test_a_tampered_cursor_is_a_422_in_the_envelope(app, client, login, caseworker, new_client):
    for number in range(3):
        new_client(full_name=f"Klien Nomor {number}")
    login(caseworker)
    cursor = client.get("/api/v1/clients?per_page=1").json["next_cursor"]
    payload, signature = cursor.split(".")
    swapped = "B" if payload[3] == "A" else "A"
    for bad in (payload[:3] + swapped + payload[4:] + "." + signature, "bukan-kursor", payload):
        response = client.get("/api/v1/clients", query_string={"cursor": bad})
        assert response.status_code == 422
        error = response.json["error"]
        assert error["code"] == "validation_failed"
        assert error["message"] == "Penanda halaman (cursor) tidak sah. Muat ulang daftar dari halaman pertama."
        assert error["fields"] == {"cursor": ["Tidak sah."]}


def test_per_page_is_capped(app, client, login, caseworker, new_client, monkeypatch):
    for number in range(3):
        new_client(full_name=f"Klien Nomor {number}")
    monkeypatch.setitem(app.config, "PER_PAGE_MAX", 2)
    login(caseworker)
    listed = client.get("/api/v1/clients?per_page=500").json
    assert listed["per_page"] == 2 and len(listed["items"]) == 2 and listed["next_cursor"]
    assert client.get("/api/v1/clients?per_page=0").status_code == 422


def test_a_search_keeps_page_numbers_and_totals(client, login, caseworker, new_client):
    new_client(full_name="Sutrisno Wibowo")
    login(caseworker)
    listed = client.get("/api/v1/clients?q=Sutrisno").json
    assert (listed["page"], listed["total"], len(listed["items"])) == (1, 1, 1)
    assert "next_cursor" not in listed
