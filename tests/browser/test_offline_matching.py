"""The duplicate check on the device (issue 9): a person registered offline who looks like a client the tablet
holds is offered as that client, found as the server finds duplicates (the same rules, sent with the reference
data, and the same ratios)."""

import uuid
from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from casework.auth.models import User
from casework.cases.intake import open_case
from casework.clients import matching, services
from casework.extensions import db
from tests.browser.test_offline_field import open_field_app

pytestmark = pytest.mark.browser

HELD = {"full_name": "Muhammad Rizki Ramadhan", "sex": "male", "birth_date": "1990-03-14"}
# (the person typed on the tablet, a client the tablet holds)
PAIRS = [
    ({"full_name": "H. Moch. Rizky Ramadan", "sex": "male", "birth_date": "1990-03-14"}, HELD),
    ({"full_name": "Rizki Ramadhan", "birth_date": "1990-03-14"}, HELD),
    ({"full_name": "Muhammad Rizki Ramadhan", "sex": "female", "birth_date": "1991-01-01"}, HELD),
    ({"full_name": "Siti Aminah binti Karto", "sex": "female"}, {"full_name": "Sitti Aminah", "birth_year": 1970}),
    ({"full_name": "Tjahjo Soedarsono"}, {"full_name": "Cahyo Sudarsono", "aliases": "Pak Cahyo"}),
    ({"full_name": "Dewi Lestari", "birth_date": "1988-02-02"}, {"full_name": "Budi Santoso", "birth_year": 1988}),
    (
        {"full_name": "Wartini", "birth_date": "1960-05-05"},
        {"full_name": "Wartini", "birth_year": 1962, "birth_year_estimated": True},
    ),
]
FIELDS = ("full_name", "aliases", "sex", "birth_date", "birth_year", "birth_year_estimated")


def as_record(person):
    """``person`` as the server's matcher reads a probe or a client."""
    values = {name: person.get(name) for name in FIELDS}
    born = values["birth_date"]
    values["birth_date"] = date.fromisoformat(born) if born else None
    values["birth_year"] = values["birth_year"] or (values["birth_date"].year if born else None)
    return SimpleNamespace(**values, mother_name=None, origin_region_code=None)


def held_by(demo_app, username):
    """A client with an open case held by ``username``: on that caseworker's device after the first sync."""
    with demo_app.app_context():
        worker = db.session.scalars(sa.select(User).where(User.username == username)).one()
        client, _created = services.register_client(
            worker.agency, worker, dict(HELD), uuid=str(uuid.uuid4()), confirm_new=True
        )
        open_case(worker.agency, worker, client, {"intake_channel": "outreach", "intake_date": date(2026, 11, 2)})
        db.session.commit()
        return client.uuid


def test_the_device_scores_names_as_the_server_does(page, sign_in, demo_app, demo_users):
    sign_in(demo_users["caseworker"])
    open_field_app(page)
    with demo_app.app_context():
        expected = [
            (
                matching.normalise_name(person["full_name"]),
                (matching.score(as_record(person), as_record(client)) or (None,))[0],
            )
            for person, client in PAIRS
        ]
        rules = matching.device_rules()
    found = page.evaluate(
        """async ([pairs, rules]) => {
            const m = await import("/static/field/matching.js");
            return pairs.map(([person, client]) => [
                m.normaliseName(person.full_name, rules), m.score(person, client, rules),
            ]);
        }""",
        [PAIRS, rules],
    )
    assert [name for name, _score in found] == [name for name, _score in expected]
    for (name, ours), (_name, theirs) in zip(found, expected, strict=True):
        # fuzzball gives whole ratios, rapidfuzz fractions: a point apart at most, never one side only.
        assert (ours is None) == (theirs is None), name
        assert ours is None or abs(ours - theirs) <= 1, (name, ours, theirs)
    # The pairs cover an offer (a titled, old-spelled variant), a refusal by name, and the points in between.
    assert expected[0][1] >= rules["likely_score"] and expected[5][1] is None


def test_a_person_the_tablet_holds_is_offered_before_a_second_registration(
    page, sign_in, screenshot, demo_app, demo_users
):
    on_device = held_by(demo_app, demo_users["caseworker"]["username"])
    sign_in(demo_users["caseworker"])
    open_field_app(page)

    page.context.set_offline(True)
    page.get_by_role("link", name="Klien baru").first.click()
    page.get_by_label("Nama lengkap").fill("H. Moch. Rizky Ramadan")
    page.get_by_label("Jenis kelamin").select_option("male")
    page.get_by_label("Tanggal lahir").fill(HELD["birth_date"])
    page.get_by_role("button", name="Simpan").click()
    offered = page.locator("[data-matches] li")
    expect(offered).to_have_count(1)
    expect(offered.first).to_have_attribute("data-client", str(on_device))
    expect(offered.first).to_contain_text(HELD["full_name"])
    screenshot("offline-duplicate-on-device")

    offered.first.get_by_role("link", name="Orang yang sama").click()
    expect(page.get_by_label("Cara kasus diterima")).to_be_visible()
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0")
