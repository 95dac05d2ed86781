"""Fast registration of a household: members, derived vulnerable groups, NIK linking, and the refusals."""

import uuid as uuid_module
from datetime import date, timedelta

import pytest

from casework.clients.models import Sex
from casework.core.errors import ValidationFailed
from casework.disasters.events import advance_status
from casework.disasters.models import Relation
from casework.disasters.registration import register_household
from casework.disasters.sites import add_site, close_site
from tests.disasters.conftest import (
    OCCURRED,
    TODAY,
    VILLAGE,
    event_data,
    household_count,
    member,
    nik,
    people_count,
)


def _refusal(call):
    """The fields of the ValidationFailed ``call`` raises."""
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value.fields


def test_a_household_of_five_is_saved_with_its_groups_derived_from_the_ages(household, site):
    saved = household(
        [
            member("Budi Santoso", age_years=40),
            member("Siti Aminah", sex="female", relation="spouse", age_years=35, pregnant_or_nursing=True),
            member("Rina", sex="female", relation="child", birth_date=(TODAY - timedelta(days=600)).isoformat()),
            member("Joko", relation="child", age_years=9),
            member("Mbah Sarno", relation="parent", age_years=78),
        ],
        kk_number=nik(7),
    )
    members = saved.members
    assert [person.relation for person in members] == [
        Relation.HEAD,
        Relation.SPOUSE,
        Relation.CHILD,
        Relation.CHILD,
        Relation.PARENT,
    ]
    assert [person.under_five for person in members] == [False, False, True, False, False]
    assert [person.elderly for person in members] == [False, False, False, False, True]
    assert members[1].pregnant_or_nursing and members[2].age_years == 1
    assert {person.site_id for person in members} == {site.id}
    assert {person.arrived_on for person in members} == {TODAY}
    assert {person.region_code for person in members} == {VILLAGE}


def test_a_given_group_overrides_the_age(household):
    saved = household([member("Mbah Darmi", sex="female", age_years=66, elderly=False, disability="ya")])
    assert saved.members[0].elderly is False and saved.members[0].disability is True


def test_a_member_older_than_130_is_refused_naming_the_member_and_nothing_is_written(household):
    before = (household_count(), people_count())
    fields = _refusal(
        lambda: household([member("Budi"), member("Siti", relation="spouse"), member("Buyut", age_years=131)])
    )
    assert fields == {"members.2.age_years": ["Anggota ke-3: umur lebih dari 130 tahun."]}
    assert (household_count(), people_count()) == before


def test_a_birth_date_in_the_future_or_too_long_ago_is_refused(household):
    fields = _refusal(
        lambda: household(
            [
                member("Budi", birth_date=(TODAY + timedelta(days=1)).isoformat()),
                member("Kakek", birth_date="1880-01-01", relation="parent"),
                member("Anak", age_years="", relation="child"),
            ]
        )
    )
    assert fields["members.0.birth_date"] == ["Anggota ke-1: tanggal lahir: Tanggal tidak boleh di masa depan."]
    assert fields["members.1.birth_date"] == ["Anggota ke-2: umur lebih dari 130 tahun menurut tanggal lahir."]
    assert fields["members.2.age_years"] == ["Anggota ke-3: isi umur atau tanggal lahir."]


def test_the_same_nik_twice_in_one_household_is_refused(household):
    fields = _refusal(lambda: household([member("Budi", nik=nik(1)), member("Joko", relation="child", nik=nik(1))]))
    assert fields == {"members.1.nik": ["Anggota ke-2: NIK sama dengan anggota ke-1."]}


def test_the_same_nik_in_another_household_of_the_event_is_refused_naming_that_household(household):
    household([member("Budi Santoso", nik=nik(1))], kk_number=nik(9))
    before = people_count()
    fields = _refusal(lambda: household([member("Ahmad"), member("Budi S", relation="other", nik=nik(1))]))
    assert fields == {
        "members.1.nik": [
            f"Anggota ke-2: NIK ini sudah terdaftar di bencana ini, di keluarga Budi Santoso (KK {nik(9)})."
        ]
    }
    assert people_count() == before


def test_a_malformed_nik_is_refused_with_the_identity_check_message(household):
    fields = _refusal(lambda: household([member("Budi", nik="1234")]))
    assert fields == {"members.0.nik": ["Anggota ke-1: NIK harus 16 digit; yang diisi 4 digit."]}


def test_the_village_must_be_a_village_and_the_site_open_and_of_the_event(
    household, agency, supervisor, event, site, caseworker
):
    fields = _refusal(lambda: household(region_code="32.75.07"))
    assert "region_code" in fields
    from casework.disasters.events import create_event

    other, _created = create_event(agency, supervisor, event_data(name="Kebakaran"))
    other_site, _created = add_site(
        other, supervisor, {"name": "Balai RW", "region_code": VILLAGE, "capacity": "10", "opened_on": OCCURRED}
    )
    fields = _refusal(lambda: household(site_uuid=str(other_site.uuid)))
    assert fields == {"site_uuid": ["Tempat pengungsian ini bukan milik bencana ini."]}
    close_site(site, supervisor, site.version, {})
    fields = _refusal(lambda: household())
    assert fields == {"site_uuid": ["Tempat pengungsian Masjid Al-Ikhlas sudah ditutup."]}


def test_a_closed_event_takes_no_registrations(household, event, supervisor):
    advance_status(event, supervisor, event.version, {"status": "recovery"})
    advance_status(event, supervisor, event.version, {"status": "closed"})
    with pytest.raises(ValidationFailed) as caught:
        household()
    assert "sudah ditutup" in caught.value.message


def test_a_retry_with_the_same_uuid_returns_the_first_household(household):
    key = str(uuid_module.uuid4())
    first = household([member("Budi"), member("Siti", relation="spouse")], uuid=key)
    before = people_count()
    again = household([member("Budi"), member("Siti", relation="spouse")], uuid=key)
    assert again.id == first.id and people_count() == before


def test_a_member_with_the_nik_of_a_client_is_linked_to_that_client(household, new_client):
    client = new_client(full_name="Budi Santoso", nik=nik(3), sex="male")
    saved = household([member("Budi Santoso", nik=nik(3)), member("Joko", relation="child", age_years=7)])
    assert saved.members[0].client_id == client.id
    assert saved.members[1].client_id is None


def test_a_second_head_is_refused(household):
    fields = _refusal(lambda: household([member("Budi"), member("Agus", relation="head")]))
    assert fields == {"members.1.relation": ["Anggota ke-2: kepala keluarga hanya satu (anggota pertama)."]}


def test_registering_without_a_site_leaves_the_stay_empty(event, caseworker):
    saved, created = register_household(
        event, caseworker, {"region_code": VILLAGE, "members": [member("Budi", sex=Sex.MALE.value)]}
    )
    assert created and saved.site_id is None and saved.members[0].arrived_on is None


def test_arrival_before_the_site_opened_is_refused(household):
    fields = _refusal(lambda: household(arrived_on=(OCCURRED - timedelta(days=1)).isoformat()))
    assert fields == {"arrived_on": ["Tanggal tiba tidak boleh sebelum tempat pengungsian dibuka."]}


def test_birth_date_gives_the_age(household):
    saved = household([member("Budi", birth_date=date(TODAY.year - 61, 1, 1).isoformat(), age_years=None)])
    assert saved.members[0].age_years == 61 and saved.members[0].elderly
