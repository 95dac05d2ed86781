"""The situation page and its API: totals, sites, villages, vulnerable groups, assistance per day, gaps."""

import pytest

from casework.auth.models import Role
from casework.core.localtime import local_today
from casework.disasters.models import AssistanceKind
from casework.disasters.situation import situation
from tests.disasters.assistance_support import dated_event, days_ago, give, open_site, register
from tests.disasters.conftest import OTHER_VILLAGE, member


@pytest.fixture
def scene(agency, supervisor, caseworker):
    """An ongoing flood: a family of three at one site, one person at another, a family of two at home."""
    event = dated_event(agency, supervisor, days_ago(4))
    mosque = open_site(event, supervisor, days_ago(4), name="Masjid Al-Ikhlas")
    school = open_site(event, supervisor, days_ago(4), name="SDN Cikiwul 1")
    family = register(
        event,
        caseworker,
        [
            member("Budi"),
            member("Rina", relation="child", age_years=2),
            member("Sarno", relation="parent", age_years=70),
        ],
        site=mosque,
        arrived=days_ago(3),
    )
    (eko,) = register(event, caseworker, [member("Eko")], site=school, arrived=days_ago(2))
    register(event, caseworker, [member("Wati", sex="female"), member("Ani", sex="female", relation="child")])
    today = local_today()
    give(event, caseworker, family[0], AssistanceKind.MEALS, today, 3)
    give(event, caseworker, family[1], AssistanceKind.MEALS, today, 2)
    give(event, caseworker, family[0], AssistanceKind.MEALS, days_ago(1), 3)
    give(event, caseworker, family[0].household, AssistanceKind.CLOTHING, days_ago(1), 4, household=True)
    return event, mosque, school, family, eko


def test_totals_count_people_households_the_displaced_and_vulnerable_groups(scene):
    event, *_rest = scene
    facts = situation(event)
    totals = facts["totals"]
    assert (totals["people"], totals["households"], totals["at_sites"]) == (6, 3, 4)
    assert (totals["elderly"], totals["under_five"], totals["vulnerable"]) == (1, 1, 2)
    assert facts["households_without_site"] == 1


def test_sites_show_registered_present_and_fed_today(scene):
    event, mosque, school, *_rest = scene
    rows = {site.name: (registered, present, fed) for site, registered, present, fed in situation(event)["sites"]}
    assert rows == {mosque.name: (3, 3, 2), school.name: (1, 1, 0)}


def test_the_gap_lists_people_at_a_site_with_no_meal_today(scene):
    event, _mosque, _school, family, eko = scene
    count, people = situation(event)["unfed"]
    assert count == 2
    assert {person.name for person, _site in people} == {family[2].name, eko.name}


def test_assistance_per_day_counts_people_and_meals(scene):
    event, *_rest = scene
    days = {day.day: day for day in situation(event)["days"]}
    today, yesterday = days[local_today()], days[days_ago(1)]
    assert (today.records[AssistanceKind.MEALS], today.quantities[AssistanceKind.MEALS]) == (2, 5)
    assert (yesterday.records[AssistanceKind.CLOTHING], yesterday.quantities[AssistanceKind.CLOTHING]) == (1, 4)


def test_villages_group_people_and_households(scene, supervisor, caseworker):
    event, *_rest = scene
    register(event, caseworker, [member("Joko"), member("Tini", sex="female")], region_code=OTHER_VILLAGE)
    register(event, caseworker, [member("Dedi")], region_code=OTHER_VILLAGE)
    villages = situation(event)["villages"]
    assert [(row.code, row.people, row.households) for row in villages] == [
        ("32.75.07.1004", 6, 3),
        (OTHER_VILLAGE, 3, 2),
    ]


def test_the_page_shows_the_figures_and_links_the_gaps_to_the_list(scene, client, login, caseworker):
    event, mosque, *_rest = scene
    login(caseworker)
    page = client.get(f"/disasters/{event.uuid}/situation")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-test="people">6<' in html
    assert f"/disasters/{event.uuid}/sites/{mosque.uuid}/distribution/{local_today().isoformat()}" in html
    assert "Aturan penghitungan" in html


@pytest.mark.parametrize(("role", "status"), [(Role.VIEWER, 200), (Role.DATA_OFFICER, 200), (Role.VOLUNTEER, 403)])
def test_who_may_see_the_situation(scene, client, login, staff, role, status):
    event, *_rest = scene
    login(staff(role))
    assert client.get(f"/disasters/{event.uuid}/situation").status_code == status
    assert client.get(f"/api/v1/disasters/{event.uuid}/situation").status_code == status


def test_the_api_gives_the_same_figures(scene, client, login, caseworker):
    event, mosque, *_rest = scene
    login(caseworker)
    body = client.get(f"/api/v1/disasters/{event.uuid}/situation").get_json()
    assert (body["totals"]["people"], body["unfed"], body["needs_registered"]) == (6, 2, 6)
    assert {site["name"]: site["fed"] for site in body["sites"]}[mosque.name] == 2


def test_another_agencys_event_is_not_found(scene, client, login, make):
    event, *_rest = scene
    other = make.agency(code="kota-lain", name="Kota Lain")
    login(make.user(role=Role.SUPERVISOR, unit=make.unit(agency=other)))
    assert client.get(f"/disasters/{event.uuid}/situation").status_code == 404
