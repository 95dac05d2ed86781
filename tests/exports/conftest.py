"""Fixtures for the list exports: the referral tests' agency, staff, cases and receiving units, and file readers."""

import csv
import io

import pytest
from openpyxl import load_workbook

from casework.auth.models import Role
from casework.exports import stream
from tests.referrals import conftest as referrals

office, agency, staff, caseworker, supervisor, new_client, new_case, service = (
    referrals.office,
    referrals.agency,
    referrals.staff,
    referrals.caseworker,
    referrals.supervisor,
    referrals.new_client,
    referrals.new_case,
    referrals.service,
)
shelter, receiver, referral_values, proposed = (
    referrals.shelter,
    referrals.receiver,
    referrals.referral_values,
    referrals.proposed,
)


@pytest.fixture
def officer(staff):
    """A data officer: reads the registry and the cases, but identities only masked."""
    return staff(Role.DATA_OFFICER)


@pytest.fixture
def small_batches(monkeypatch):
    """Rows fetched two at a time, so that a handful of rows spans several batches."""
    monkeypatch.setattr(stream, "BATCH_SIZE", 2)


def read_csv(response):
    """A CSV download's rows (heading first); the download must be a streamed 200."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.is_streamed and response.headers["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def read_xlsx(response):
    """An XLSX download's rows (heading first) as tuples of cell values."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    data = response.data
    # Closing the sent response deletes the temporary file the workbook was built on.
    response.close()
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
