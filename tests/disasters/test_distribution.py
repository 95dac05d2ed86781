"""A site's distribution list: the people there that day, ticking through the API, the whole list as a form."""

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.core.localtime import local_today
from casework.disasters.models import AssistanceKind, DisasterAssistance
from casework.extensions import db
from tests.disasters.assistance_support import dated_event, days_ago, give, open_site, register
from tests.disasters.conftest import member


@pytest.fixture
def camp(agency, supervisor, caseworker):
    """An ongoing flood: a family of two at the mosque since two days ago, one man who left yesterday."""
    event = dated_event(agency, supervisor, days_ago(5))
    site = open_site(event, supervisor, days_ago(5))
    family = register(event, caseworker, [member("Budi"), member("Rina", relation="child", age_years=3)],
                      site=site, arrived=days_ago(2))  # fmt: skip
    (left,) = register(event, caseworker, [member("Eko")], site=site, arrived=days_ago(4))
    left.left_on = days_ago(1)
    db.session.flush()
    return event, site, family, left


def _given(person, kind=AssistanceKind.MEALS, day=None):
    """The quantity of ``kind`` recorded for ``person`` on ``day`` (today), 0 when none."""
    return (
        db.session.scalar(
            sa.select(DisasterAssistance.quantity).where(
                DisasterAssistance.person_id == person.id,
                DisasterAssistance.kind == kind,
                DisasterAssistance.given_on == (day or local_today()),
            )
        )
        or 0
    )


def _url(event, site, day=None):
    return f"/disasters/{event.uuid}/sites/{site.uuid}/distribution/{(day or local_today()).isoformat()}"


def test_the_list_shows_who_is_at_the_site_that_day(camp, client, login, caseworker):
    event, site, _family, _left = camp
    login(caseworker)
    html = client.get(_url(event, site)).get_data(as_text=True)
    assert "Budi" in html and "Rina" in html and "Eko" not in html
    earlier = client.get(_url(event, site, days_ago(3))).get_data(as_text=True)
    assert "Eko" in earlier and "Budi" not in earlier


def test_a_tick_saves_at_once_and_a_second_tick_changes_nothing(camp, client, login, caseworker):
    event, site, family, _left = camp
    login(caseworker)
    url = "/api/v1" + _url(event, site) + "/ticks"
    body = {"person": str(family[0].uuid), "kind": "meals", "quantity": 2}
    first = client.post(url, json=body)
    assert (first.status_code, first.get_json()["quantity"]) == (201, 2)
    again = client.post(url, json=body)
    assert (again.status_code, again.get_json()["changed"]) == (200, False)
    untick = client.post(url, json={**body, "kind": "meals", "quantity": 0})
    assert (untick.status_code, untick.get_json()["quantity"], _given(family[0])) == (201, 0, 0)


def test_a_tick_for_someone_not_at_the_site_is_refused_as_json(camp, client, login, caseworker, supervisor):
    event, site, family, _left = camp
    other = open_site(event, supervisor, days_ago(5), name="SDN Cikiwul 1")
    login(caseworker)
    url = "/api/v1" + _url(event, other) + "/ticks"
    refused = client.post(url, json={"person": str(family[0].uuid), "kind": "meals", "quantity": 3})
    assert refused.status_code == 422
    assert "Budi" in refused.get_json()["error"]["fields"]["person"][0]
    four = client.post(
        "/api/v1" + _url(event, site) + "/ticks", json={"person": str(family[0].uuid), "kind": "meals", "quantity": 4}
    )
    assert four.status_code == 422 and "quantity" in four.get_json()["error"]["fields"]
    assert _given(family[0]) == 0


def test_the_whole_list_saves_without_javascript(camp, client, login, caseworker):
    event, site, family, _left = camp
    budi, rina = family
    give(event, caseworker, rina, AssistanceKind.CLOTHING, local_today(), 3)
    login(caseworker)
    form = {
        f"meals-{budi.uuid}": ["1", "2", "3"],
        f"meals-{rina.uuid}": ["1"],
        f"clothing-{rina.uuid}": "1",
        f"psychosocial-{budi.uuid}": "1",
    }
    response = client.post(_url(event, site), data=form)
    assert response.status_code == 302
    assert (_given(budi), _given(rina), _given(rina, AssistanceKind.CLOTHING)) == (3, 1, 3)
    assert _given(budi, AssistanceKind.PSYCHOSOCIAL) == 1
    # Unticked on the next send: removed.
    client.post(_url(event, site), data={f"meals-{budi.uuid}": ["1", "2"]})
    assert (_given(budi), _given(rina), _given(rina, AssistanceKind.CLOTHING)) == (2, 0, 0)


def test_a_list_outside_the_emergency_writes_nothing_and_names_the_person(camp, client, login, caseworker, supervisor):
    event, site, family, _left = camp
    from casework.disasters.events import advance_status

    advance_status(event, supervisor, event.version, {"status": "recovery", "emergency_until": days_ago(2).isoformat()},
                   today=local_today())  # fmt: skip
    login(caseworker)
    form = {f"clothing-{family[1].uuid}": "1", f"meals-{family[0].uuid}": ["1", "2", "3"]}
    response = client.post(_url(event, site), data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Budi: Makan hanya dicatat untuk hari dalam masa tanggap darurat" in html
    assert _given(family[1], AssistanceKind.CLOTHING) == 0


def test_the_api_lists_the_day(camp, client, login, caseworker):
    event, site, family, _left = camp
    give(event, caseworker, family[0], AssistanceKind.MEALS, local_today(), 3)
    login(caseworker)
    items = client.get("/api/v1" + _url(event, site)).get_json()["items"]
    assert [(item["name"], item["given"]) for item in items] == [("Budi", {"meals": 3}), ("Rina", {})]


def test_recording_by_the_api_is_idempotent(camp, client, login, caseworker):
    event, _site, family, _left = camp
    login(caseworker)
    body = {"uuid": "0b7c3a43-9e7c-4d0e-b1cf-5f0e3f36b3aa", "household": str(family[0].household.uuid),
            "kind": "clothing", "given_on": local_today().isoformat(), "quantity": 2}  # fmt: skip
    first = client.post(f"/api/v1/disasters/{event.uuid}/assistance", json=body)
    again = client.post(f"/api/v1/disasters/{event.uuid}/assistance", json=body)
    assert (first.status_code, again.status_code, again.get_json()["uuid"]) == (201, 200, body["uuid"])
    late = client.post(f"/api/v1/disasters/{event.uuid}/assistance", json={**body, "uuid": None, "kind": "meals"})
    assert late.status_code == 422 and "household" in late.get_json()["error"]["fields"]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.DATA_OFFICER, Role.VOLUNTEER])
def test_only_staff_who_assist_may_tick(camp, client, login, staff, role):
    event, site, family, _left = camp
    login(staff(role))
    assert client.get(_url(event, site)).status_code == 403
    body = {"person": str(family[0].uuid), "kind": "meals", "quantity": 1}
    assert client.post("/api/v1" + _url(event, site) + "/ticks", json=body).status_code == 403
    assert _given(family[0]) == 0


def test_the_assistance_form_records_for_a_household(camp, client, login, caseworker):
    event, _site, family, _left = camp
    login(caseworker)
    url = f"/disasters/{event.uuid}/assistance/new?household={family[0].household.uuid}"
    assert client.get(url).status_code == 200
    bad = client.post(url, data={"kind": "meals", "given_on": local_today().isoformat(), "quantity": "1"})
    assert bad.status_code == 422 and "Makan dicatat per orang" in bad.get_data(as_text=True)
    done = client.post(url, data={"kind": "psychosocial", "given_on": local_today().isoformat(), "quantity": "1"})
    assert done.status_code == 302
