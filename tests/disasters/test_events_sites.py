"""Events and sites: numbers, checks, status steps with their guards, closing a site, occupancy per day."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.core.errors import Conflict, ValidationFailed
from casework.disasters.events import advance_status, create_event, update_event
from casework.disasters.models import EventStatus
from casework.disasters.sites import add_site, close_site, occupancy, update_site
from casework.extensions import db
from tests.disasters.conftest import OCCURRED, TODAY, VILLAGE, event_data, member


def _fields(call):
    """The fields of the ValidationFailed ``call`` raises."""
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value.fields


def test_events_are_numbered_per_agency_and_year(agency, supervisor):
    first, _created = create_event(agency, supervisor, event_data())
    second, _created = create_event(agency, supervisor, event_data(name="Kebakaran pasar", kind="fire"))
    assert (first.number, second.number) == (f"BCN-{OCCURRED.year}-0001", f"BCN-{OCCURRED.year}-0002")
    assert first.emergency_from == OCCURRED and first.status == EventStatus.EMERGENCY
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_type == "disaster_event")).all()
    assert actions == ["disaster.event_opened", "disaster.event_opened"]


def test_an_event_is_checked_field_by_field(agency, supervisor):
    fields = _fields(
        lambda: create_event(
            agency,
            supervisor,
            {
                "kind": "volcano",
                "name": "",
                "occurred_on": (TODAY + timedelta(days=1)).isoformat(),
                "villages": ["32.75.07", "99.99.99.9999"],
            },
        )
    )
    assert fields["kind"] == ["Pilih jenis bencana."]
    assert fields["name"] == ["Wajib diisi."]
    assert fields["occurred_on"] == ["Tanggal tidak boleh di masa depan."]
    assert fields["villages"] == [
        "Kode 32.75.07 bukan kelurahan/desa (tingkat 4).",
        "Kode 99.99.99.9999 bukan kelurahan/desa yang dikenal.",
    ]
    fields = _fields(
        lambda: create_event(
            agency,
            supervisor,
            event_data(
                emergency_from=(OCCURRED - timedelta(days=1)).isoformat(),
                emergency_until=(OCCURRED - timedelta(days=2)).isoformat(),
            ),
        )
    )
    assert fields["emergency_from"] == ["Tanggap darurat tidak boleh dimulai sebelum tanggal kejadian."]
    assert fields["emergency_until"] == ["Akhir tanggap darurat tidak boleh sebelum awalnya."]


def test_an_event_is_corrected_at_its_version_and_not_once_closed(event, supervisor):
    update_event(event, supervisor, event.version, {"name": "Banjir Bantargebang II", "villages": [VILLAGE]})
    assert event.name == "Banjir Bantargebang II" and [v.region_code for v in event.villages] == [VILLAGE]
    with pytest.raises(Conflict):
        update_event(event, supervisor, event.version - 1, {"name": "Lama"})
    advance_status(event, supervisor, event.version, {"status": "recovery"})
    assert event.emergency_until == TODAY - timedelta(days=1)
    advance_status(event, supervisor, event.version, {"status": "closed"})
    assert event.status == EventStatus.CLOSED and event.closed_on == TODAY
    with pytest.raises(Conflict):
        update_event(event, supervisor, event.version, {"name": "Sesudah tutup"})


def test_status_steps_go_one_way_one_step_at_a_time(event, supervisor):
    with pytest.raises(Conflict):
        advance_status(event, supervisor, event.version, {"status": "closed"})
    fields = _fields(
        lambda: advance_status(
            event, supervisor, event.version, {"status": "recovery", "emergency_until": TODAY + timedelta(days=2)}
        )
    )
    assert fields == {"emergency_until": ["Tanggap darurat yang berakhir tidak boleh berakhir di masa depan."]}
    advance_status(event, supervisor, event.version, {"status": "recovery"})
    with pytest.raises(Conflict):
        advance_status(event, supervisor, event.version, {"status": "recovery"})


def test_a_site_is_checked_and_its_name_is_unique_in_the_event(event, site, supervisor):
    fields = _fields(
        lambda: add_site(
            event,
            supervisor,
            {
                "name": "masjid al-ikhlas",
                "region_code": "32.75",
                "capacity": "-3",
                "opened_on": (OCCURRED - timedelta(days=1)).isoformat(),
            },
        )
    )
    assert fields["name"] == ["Tempat pengungsian bernama masjid al-ikhlas sudah ada di bencana ini."]
    assert "region_code" in fields
    assert fields["capacity"] == ["Daya tampung ditulis sebagai angka 0 atau lebih."]
    assert fields["opened_on"] == ["Tempat pengungsian tidak bisa dibuka sebelum tanggal kejadian."]
    update_site(site, supervisor, site.version, {"capacity": "150"})
    assert site.capacity == 150


def test_closing_a_site_ends_every_stay_there_and_occupancy_counts_each_day(event, site, supervisor, household):
    day = OCCURRED
    household([member("Budi"), member("Siti", relation="spouse")], arrived_on=day.isoformat())
    household([member("Agus")], arrived_on=(day + timedelta(days=2)).isoformat())
    counts = dict(occupancy(site, TODAY))
    assert counts[day] == 2 and counts[day + timedelta(days=1)] == 2 and counts[day + timedelta(days=2)] == 3
    assert counts[TODAY] == 3
    close_site(site, supervisor, site.version, {"closed_on": (day + timedelta(days=2)).isoformat()})
    counts = dict(occupancy(site, TODAY))
    assert max(counts) == day + timedelta(days=2) and counts[day + timedelta(days=2)] == 3
    from casework.disasters.models import AffectedPerson

    left = db.session.scalars(sa.select(AffectedPerson.left_on).where(AffectedPerson.site_id == site.id)).all()
    assert set(left) == {day + timedelta(days=2)}
    with pytest.raises(Conflict):
        close_site(site, supervisor, site.version, {})


def test_a_site_cannot_close_before_someone_arrived(event, site, supervisor, household):
    household([member("Budi")], arrived_on=TODAY.isoformat())
    fields = _fields(lambda: close_site(site, supervisor, site.version, {"closed_on": OCCURRED.isoformat()}))
    assert fields == {"closed_on": ["Ada pengungsi yang tiba sesudah tanggal itu; periksa tanggal tutup."]}
