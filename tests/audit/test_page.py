"""The administrator's search of the audit trail at /admin/audit/."""

import re
from datetime import UTC, datetime

import pytest

from casework.audit import chain
from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.core.rows import append_row
from tests.admin.helpers import page_text, table_body

ACTION = re.compile(r"<code data-action>([^<]+)</code>")


def _entry(actor, action, at, **fields):
    """An audit row by ``actor`` at ``at`` (UTC)."""
    return append_row(AuditEvent(action=action, actor_id=actor.id, at=at, details=fields.pop("details", {}), **fields))


@pytest.fixture
def trail(make, login):
    """An admin signed in, a caseworker of the same agency and a stranger from another, with their entries."""
    admin = make.user(role=Role.ADMIN)
    worker = make.user(unit=admin.unit, username="peksos.audit")
    stranger = make.user()
    _entry(
        worker,
        "case.opened",
        datetime(2026, 3, 1, 3, 0, tzinfo=UTC),
        object_type="case_file",
        object_id="41",
        address="10.1.2.3",
        details={"number": "KS-2026-000041"},
    )
    # 00:30 on 2 March in Jakarta (UTC+7).
    _entry(
        worker,
        "case.closed",
        datetime(2026, 3, 1, 17, 30, tzinfo=UTC),
        object_type="case_file",
        object_id="42",
        address="192.168.5.9",
    )
    _entry(
        admin,
        "user.created",
        datetime(2026, 3, 3, 2, 0, tzinfo=UTC),
        object_type="user_account",
        object_id=str(worker.id),
        address="10.1.9.9",
    )
    _entry(stranger, "case.secret_of_another_agency", datetime(2026, 3, 1, 4, 0, tzinfo=UTC))
    login(admin)
    return admin, worker


def _actions(response):
    """The actions listed on the page, in page order, leaving out the admin's own sign-in."""
    return [action for action in ACTION.findall(table_body(response)) if action != "auth.login"]


def test_non_admins_are_refused(client, make, login):
    for role in (Role.SUPERVISOR, Role.CASEWORKER):
        login(make.user(role=role))
        assert client.get("/admin/audit/").status_code == 403


def test_the_agency_s_entries_newest_first_with_their_details(client, trail):
    response = client.get("/admin/audit/")
    assert response.status_code == 200
    body = table_body(response)
    assert "case.secret_of_another_agency" not in body
    assert _actions(response) == ["user.created", "case.closed", "case.opened"]
    assert '<span class="muted">number:</span> <code>"KS-2026-000041"</code>' in body
    assert "<code>peksos.audit</code>" in body and "case_file #41" in body and "10.1.2.3" in body
    # Asia/Jakarta time: 03:00 UTC is 10:00, and 17:30 UTC is 00:30 the next day.
    assert "1 Mar 2026 10.00.00" in body and "2 Mar 2026 00.30.00" in body
    assert "Belum" in body
    assert 'href="/admin/audit/"' in page_text(client.get("/admin/users"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"username": "peksos.audit"}, ["case.closed", "case.opened"]),
        ({"action": "case."}, ["case.closed", "case.opened"]),
        ({"action": "user"}, ["user.created"]),
        ({"object_type": "case_file", "object_id": "42"}, ["case.closed"]),
        ({"date_from": "2026-03-02", "date_to": "2026-03-02"}, ["case.closed"]),
        ({"date_to": "2026-03-01"}, ["case.opened"]),
        ({"address": "10.1."}, ["user.created", "case.opened"]),
    ],
)
def test_filters(client, trail, query, expected):
    response = client.get("/admin/audit/", query_string=query)
    assert response.status_code == 200
    assert _actions(response) == expected


def test_a_bad_date_is_a_clear_422(client, trail):
    response = client.get("/admin/audit/", query_string={"date_from": "2026-02-30"})
    assert response.status_code == 422
    assert "Tanggal tidak valid" in page_text(response)
    response = client.get("/admin/audit/", query_string={"date_from": "2026-03-05", "date_to": "2026-03-01"})
    assert response.status_code == 422
    assert "Tanggal akhir tidak boleh sebelum tanggal awal" in page_text(response)


def test_keyset_pages_walk_older_entries_without_repeats(client, trail):
    first = client.get("/admin/audit/", query_string={"action": "case.", "per_page": 1})
    assert _actions(first) == ["case.closed"]
    cursor = first.get_data(as_text=True).split("cursor=")[1].split('"')[0].replace("&amp;", "&")
    second = client.get(f"/admin/audit/?action=case.&per_page=1&cursor={cursor}")
    assert _actions(second) == ["case.opened"]
    assert "cursor=" not in table_body(second) and "Lebih lama" not in page_text(second)
    assert client.get("/admin/audit/?cursor=forged").status_code == 422


def test_sealed_entries_show_their_seq_and_the_chain_state(client, trail):
    chain.seal()
    seq, digest = chain.head()
    response = client.get("/admin/audit/", query_string={"action": "user."})
    body = table_body(response)
    assert "#" in body and "Belum" not in body
    assert f"{seq}:{digest[:16]}" in page_text(response)
