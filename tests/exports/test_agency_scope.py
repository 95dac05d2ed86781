"""Which tables the agency export holds (found from the foreign keys), and the CSV encoding of values."""

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum

import pytest
import sqlalchemy as sa

from casework.core.types import UTCDateTime, enum_column
from casework.exports import agency_codec as codec
from casework.exports.agency_scope import EPHEMERAL_TABLES, GLOBAL_TABLES, scoped_tables, unclassified_tables
from casework.extensions import db


def test_every_table_is_exported_or_declared_global_or_ephemeral(app):
    assert unclassified_tables() == []
    scoped = {table.name for table in scoped_tables()}
    assert {"agency", "client", "case_file", "service_delivery", "referral", "report", "stored_file"} <= scoped
    assert {"audit_event", "aftercare_visit", "case_event", "annual_target"} <= scoped
    assert not scoped & (GLOBAL_TABLES | EPHEMERAL_TABLES)


def _copy():
    """A copy of the application's metadata to add tables to."""
    metadata = sa.MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(metadata)
    return metadata


def test_a_new_table_linked_to_a_client_is_exported_without_being_listed(app):
    metadata = _copy()
    sa.Table(
        "client_pet",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client_id", sa.ForeignKey("client.id"), nullable=False),
    )
    assert "client_pet" in [table.name for table in scoped_tables(metadata)]
    assert unclassified_tables(metadata) == []


def test_a_new_table_linked_to_nothing_must_be_declared(app):
    metadata = _copy()
    sa.Table("weather", metadata, sa.Column("id", sa.Integer, primary_key=True))
    assert unclassified_tables(metadata) == ["weather"]


def test_a_declared_global_table_that_gains_a_link_to_the_agency_is_reported(app):
    metadata = _copy()
    metadata.tables["local_code"].append_column(sa.Column("agency_id", sa.Integer))
    metadata.tables["local_code"].append_constraint(sa.ForeignKeyConstraint(["agency_id"], ["agency.id"]))
    assert unclassified_tables(metadata) == ["local_code"]


def test_parents_come_before_children(app):
    names = [table.name for table in scoped_tables()]
    assert names[0] == "agency"
    assert names.index("client") < names.index("case_file") < names.index("service_delivery")


class Colour(StrEnum):
    RED = "red"


@pytest.mark.parametrize(
    ("value", "column_type"),
    [
        (None, sa.String(10)),
        ("", sa.String(10)),
        ("\\N", sa.String(10)),
        ("\\x", sa.Text()),
        ('Siti, "Aminah"\nbaris dua', sa.Text()),
        (0, sa.Integer()),
        (-12345678901, sa.BigInteger()),
        (True, sa.Boolean()),
        (False, sa.Boolean()),
        (0.1 + 0.2, sa.Float()),
        (date(2026, 2, 28), sa.Date()),
        (datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC), UTCDateTime()),
        (datetime(2026, 1, 2, 10, 4, 5, tzinfo=timezone(timedelta(hours=7))), UTCDateTime()),
        (uuid.UUID("a3c1f0d2-6b7e-4c59-8e21-4d0b9f6a7c13"), sa.Uuid()),
        ({"b": [1, None, "x"], "a": {"ü": True}}, sa.JSON()),
        (b"\x00\xffPNG", sa.LargeBinary()),
        (Colour.RED, enum_column(Colour, "colour")),
    ],
)
def test_values_survive_the_csv_text(value, column_type):
    text = codec.encode(value, column_type)
    assert isinstance(text, str)
    back = codec.decoder(column_type)(text)
    assert back == value and type(back) is type(value)


def test_null_and_empty_text_stay_apart():
    assert codec.encode(None, sa.String()) != codec.encode("", sa.String())
    assert codec.encode("\\N", sa.String()) != codec.encode(None, sa.String())
