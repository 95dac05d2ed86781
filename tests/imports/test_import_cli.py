"""``flask casework import clients|cases FILE``: dry run, errors by line, progress, likely duplicates, resume."""

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.clients.models import Client
from casework.extensions import db
from tests.imports.helpers import csv_bytes

HEADER = ["kode_sumber", "full_name", "sex", "birth_date"]


@pytest.fixture
def officer(staff):
    return staff(Role.DATA_OFFICER)


@pytest.fixture
def run(app, tmp_path, agency, officer):
    def invoke(rows, *options, kind="clients"):
        path = tmp_path / "file.csv"
        path.write_bytes(csv_bytes(HEADER, rows))
        args = ["casework", "import", kind, str(path), "--agency", agency.code, "--user", officer.username, *options]
        return app.test_cli_runner().invoke(args=args)

    return invoke


def _names(agency):
    return db.session.scalars(
        sa.select(Client.full_name).where(Client.agency_id == agency.id).order_by(Client.id)
    ).all()


def test_dry_run_writes_nothing_and_errors_fail_with_lines(run, agency):
    result = run([["A1", "Siti", "P", ""]], "--dry-run")
    assert result.exit_code == 0, result.output
    assert "checked 1 rows: 1 create" in result.output
    assert _names(agency) == []
    result = run([["A1", "", "P", "99/99/2020"]])
    assert result.exit_code == 1
    assert "line 2, full_name: Wajib diisi." in result.output
    assert "nothing imported" in result.output
    assert _names(agency) == []


def test_import_prints_progress_and_reimport_is_unchanged(run, agency):
    result = run([["A1", "Siti", "P", ""], ["A2", "Budi", "L", ""]])
    assert result.exit_code == 0, result.output
    assert "imported 2/2 rows" in result.output
    assert _names(agency) == ["Siti", "Budi"]
    again = run([["A1", "Siti", "P", ""], ["A2", "Budi", "L", ""]])
    assert "2 Tidak berubah" in again.output
    assert _names(agency) == ["Siti", "Budi"]


def test_likely_duplicates_are_skipped_unless_new_when_unsure(run, agency, new_client):
    new_client(full_name="Siti Aminah", birth_date="1990-05-17", sex="female")
    result = run([["A1", "Siti Aminah", "P", "17/05/1990"]])
    assert result.exit_code == 0, result.output
    assert "likely already registered" in result.output
    assert _names(agency) == ["Siti Aminah"]
    result = run([["A9", "Siti Aminah", "P", "17/05/1990"]], "--new-when-unsure")
    assert result.exit_code == 0, result.output
    assert _names(agency) == ["Siti Aminah", "Siti Aminah"]


def test_every_registered_type_has_a_command(app):
    from casework.imports import load_types

    result = app.test_cli_runner().invoke(args=["casework", "import", "--help"])
    for name in load_types():
        assert name in result.output
