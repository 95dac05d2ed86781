"""SPM type 5: victims whose basic needs were met ÷ victims registered, counted by hand and by the figures.

The event (twelve days ago, emergency period of three days: D, D+1, D+2) has
five people:

=====  ===========================================  ====================================  =====
who    stay                                         recorded                               met
=====  ===========================================  ====================================  =====
Budi   site from D                                  3 meals D..D+2, clothing (own),        yes
                                                    psychosocial (household)
Rina   site from D, under five                      3 meals D..D+2, clothing + psycho-     yes
                                                    social (household), special handling
Sarno  site from D, elderly                         as Rina without special handling       no
Wati   not displaced                                clothing, psychosocial                 yes
Eko    site from D+1                                3 meals D+1, 2 meals D+2, clothing,    no
                                                    psychosocial
=====  ===========================================  ====================================  =====

3 of 5: 60.00 %.
"""

from datetime import timedelta

import pytest

from casework.core.localtime import local_today
from casework.disasters.figures import event_needs_met
from casework.disasters.models import AssistanceKind
from casework.figures.achievement import report_for
from tests.disasters.assistance_support import dated_event, days_ago, give, meals, open_site, register
from tests.disasters.conftest import member

FAMILY = [
    member("Budi"),
    member("Rina", relation="child", age_years=3),
    member("Sarno", relation="parent", age_years=75),
]
CLOTHING, PSYCHOSOCIAL, SPECIAL = AssistanceKind.CLOTHING, AssistanceKind.PSYCHOSOCIAL, AssistanceKind.SPECIAL_HANDLING


@pytest.fixture
def counted(agency, supervisor, caseworker):
    """The event of the module docstring, recorded; returns (event, people by name)."""
    start = days_ago(12)
    end = start + timedelta(days=2)
    event = dated_event(agency, supervisor, start, until=end)
    site = open_site(event, supervisor, start)
    family = register(
        event,
        caseworker,
        [
            member("Budi"),
            member("Rina", relation="child", age_years=3),
            member("Sarno", relation="parent", age_years=75),
        ],
        site=site,
        arrived=start,
    )
    budi, rina, sarno = family
    household = budi.household
    for person in family:
        meals(event, caseworker, person, start, end)
    give(event, caseworker, budi, CLOTHING, start)
    give(event, caseworker, household, CLOTHING, start + timedelta(days=1), household=True)
    give(event, caseworker, household, PSYCHOSOCIAL, end + timedelta(days=3), household=True)  # after the emergency
    give(event, caseworker, rina, SPECIAL, start)
    (wati,) = register(event, caseworker, [member("Wati", sex="female")])
    give(event, caseworker, wati, CLOTHING, start)
    give(event, caseworker, wati, PSYCHOSOCIAL, start)
    (eko,) = register(event, caseworker, [member("Eko")], site=site, arrived=start + timedelta(days=1))
    meals(event, caseworker, eko, start + timedelta(days=1), start + timedelta(days=1))
    meals(event, caseworker, eko, end, end, quantity=2)
    give(event, caseworker, eko, CLOTHING, end)
    give(event, caseworker, eko, PSYCHOSOCIAL, end)
    return event, {person.name: person for person in (budi, rina, sarno, wati, eko)}


def test_the_event_figure_counts_three_of_five(counted):
    event, _people = counted
    assert event_needs_met(event, local_today()) == (3, 5)


def test_the_figure_of_the_first_day_owes_only_that_days_meals(counted):
    event, _people = counted
    # On day D: Eko had not arrived; the household's clothing (D+1) and psychosocial support came later.
    assert event_needs_met(event, event.occurred_on) == (1, 5)  # Wati alone


def test_the_recipients_indicator_of_type_5_reports_sixty_percent(agency, counted):
    event, _people = counted
    table = report_for(agency, {"indicator": "KAB-5-PENERIMA", "year": str(event.occurred_on.year)})
    assert (table.total.realisation, table.total.denominator, str(table.total.percent)) == (3, 5, "60.00")


def test_a_second_event_of_the_year_adds_its_victims(agency, supervisor, caseworker, counted):
    event, _people = counted
    fire = dated_event(agency, supervisor, event.occurred_on, name="Kebakaran Cikiwul")
    register(fire, caseworker, [member("Joko")])
    table = report_for(agency, {"indicator": "KAB-5-PENERIMA", "year": str(event.occurred_on.year)})
    assert (table.total.realisation, table.total.denominator) == (3, 6)


def test_the_other_spm_types_still_count_cases(agency):
    table = report_for(agency, {"indicator": "KAB-2-PENERIMA", "year": str(local_today().year)})
    assert table.indicator.measure == "spm_recipients"
