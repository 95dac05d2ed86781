"""Synthetic clients (``flask casework synth``): deterministic, valid, and found by the real search."""

import sqlalchemy as sa

from casework.clients.identity import check_nik, disagreements
from casework.clients.matching import client_tokens
from casework.clients.models import Client, ClientCategory, ClientNameToken
from casework.clients.queries import search
from casework.clients.synth import synthesise
from casework.extensions import db

COUNT = 300
# Every field a seed decides; ids, UUIDs and the agency depend on the database.
FIELDS = (
    "full_name",
    "aliases",
    "sex",
    "birth_date",
    "birth_year",
    "birth_year_estimated",
    "mother_name",
    "nik",
    "domicile_region_code",
    "origin_region_code",
)


def synth(agency, count=COUNT, seed=7):
    """Runs the synthesis to the end; the agency's clients, oldest first."""
    list(synthesise(agency, count, seed=seed, batch_size=120))
    return db.session.scalars(sa.select(Client).where(Client.agency_id == agency.id).order_by(Client.id)).all()


def shape(clients):
    """What a seed decides about ``clients``, categories included."""
    return [
        (*(getattr(client, name) for name in FIELDS), [held.category.slug for held in client.categories])
        for client in clients
    ]


def test_the_same_seed_gives_the_same_clients(agency, caseworker, make, staff):
    other = make.unit().agency
    make.user(unit=other.units[0])
    first, second = synth(agency), synth(other)
    assert len(first) == len(second) == COUNT
    assert shape(first) == shape(second)
    assert shape(synth(make.user().agency, seed=8)) != shape(first)


def test_clients_respect_every_rule_and_are_indexed_as_the_service_indexes(agency, caseworker):
    clients = synth(agency)
    with_nik = [client for client in clients if client.nik]
    assert 0.3 < len(with_nik) / COUNT < 0.6
    assert 0.2 < sum(" " not in client.full_name for client in clients) / COUNT < 0.4
    for client in with_nik:
        check = check_nik(client.nik)
        assert check.valid, (client.nik, check.errors)
        assert disagreements(check, client.sex, client.birth_date, client.birth_year) == []
        # Issued in the district of the domicile.
        assert client.nik[:6] == client.domicile_region_code[:8].replace(".", "")
    for client in clients:
        assert client.domicile_region_code.startswith("32.75.")
        assert client.birth_date or client.birth_year_estimated
        assert 1 <= len(client.categories) <= 2
        assert all(held.since >= (client.birth_date or held.since) for held in client.categories)
    tokens = db.session.execute(
        sa.select(ClientNameToken.client_id, ClientNameToken.token).where(ClientNameToken.agency_id == agency.id)
    ).all()
    indexed = {}
    for client_id, token in tokens:
        indexed.setdefault(client_id, set()).add(token)
    assert all(indexed[client.id] == client_tokens(client) for client in clients)
    categories = db.session.scalar(
        sa.select(sa.func.count()).select_from(ClientCategory).join(Client).where(Client.agency_id == agency.id)
    )
    assert categories == sum(len(client.categories) for client in clients)


def test_a_second_run_adds_clients_without_reusing_a_nik(agency, caseworker):
    synth(agency)
    clients = synth(agency)
    niks = [client.nik for client in clients if client.nik]
    assert len(clients) == 2 * COUNT
    assert len(niks) == len(set(niks))


def test_synthesised_clients_are_found_by_name_and_nik(agency, caseworker):
    clients = synth(agency)
    person = next(client for client in clients if " " in client.full_name and client.nik)
    assert person.id in search(agency.id, person.full_name).ids
    assert db.session.scalars(search(agency.id, person.nik)).all() == [person]


def test_command_adds_clients_to_the_agency(app, agency, caseworker):
    result = app.test_cli_runner().invoke(args=["casework", "synth", "--clients", "25", "--agency-code", agency.code])
    assert result.exit_code == 0, result.output
    assert "25 clients added" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).where(Client.agency_id == agency.id)) == 25


def test_command_without_the_demo_agency_says_to_create_it(app):
    result = app.test_cli_runner().invoke(args=["casework", "synth", "--clients", "10"])
    assert result.exit_code == 1
    assert "DINSOS-3275 does not exist" in result.output
    assert "flask casework demo-data" in result.output
