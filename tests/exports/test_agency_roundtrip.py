"""Full agency export → an empty installation → import: the same records, the same files, the same figures.

The source database holds the demo agency (clients with categories, cases
at every stage, deliveries, stays, referrals, findings and complaints,
closures, aftercare, tracing, returns) plus a case attachment, a report
photo, annual targets and a closed month, and a second agency whose rows
must stay behind. Both databases are real (committed) ones, on SQLite or
PostgreSQL like the rest of the suite.
"""

import json
import zipfile

import pytest
import sqlalchemy as sa

from casework.audit import chain
from casework.auth.models import Role, User
from casework.cases.attachments import add_attachment
from casework.cases.models import Case
from casework.core.localtime import local_today
from casework.demo import AGENCY_CODE, load_demo_data
from casework.exports.agency_scope import Scope, scoped_tables
from casework.extensions import db
from casework.figures.achievement import agency_indicators, parse_period, served
from casework.figures.close import close_month
from casework.figures.models import DenominatorKind
from casework.figures.targets import fits, set_target
from casework.files import storage
from casework.files.models import StoredFile
from casework.org.models import Agency, Unit
from tests.conftest import build_app
from tests.factories import Factories
from tests.files.samples import PDF, image_bytes


@pytest.fixture(scope="module")
def source(committed_app):
    """An installation holding the demo agency with files, targets and a closed month, and another agency.

    It is ``committed_app``, so that no test here runs inside the rolled-back transaction of the unit database.
    """
    application = committed_app
    with application.app_context():
        load_demo_data()
        agency = db.session.scalar(sa.select(Agency).where(Agency.code == AGENCY_CODE))
        _add_files_targets_and_close(agency)
        other = Factories().user(role=Role.ADMIN, unit=Factories().unit(agency=Factories().agency(code="OTHER")))
        assert other.agency_id != agency.id
        db.session.commit()
        # As in production, the audit trail is sealed into the installation's chain before the export.
        assert chain.seal() > 0
    return application


def _add_files_targets_and_close(agency):
    """What the demo data lacks: stored files, annual targets and a closed month."""
    admin = db.session.scalar(sa.select(User).where(User.agency_id == agency.id, User.role == Role.ADMIN))
    case = db.session.scalar(sa.select(Case).where(Case.agency_id == agency.id).order_by(Case.id))
    add_attachment(case, admin, image_bytes("PNG"), {"caption": "Foto rumah"}, filename="rumah.png")
    add_attachment(case, admin, PDF, {"caption": "Surat keterangan"}, filename="surat.pdf")
    year = local_today().year
    units = db.session.scalars(sa.select(Unit).where(Unit.agency_id == agency.id).order_by(Unit.id)).all()
    targets = 0
    for indicator in db.session.scalars(agency_indicators(agency)).all():
        if indicator.denominator != DenominatorKind.TARGET:
            continue
        set_target(agency, year, indicator, None, 100 + targets, None, actor=admin)
        for unit in [unit for unit in units if fits(indicator, unit)][:2]:
            set_target(agency, year, indicator, unit, 40 + targets, None, actor=admin)
        targets += 1
    assert targets, "no target could be set"
    today = local_today()
    close_month(agency, *((today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)), actor=admin)


@pytest.fixture(scope="module")
def exported(source, tmp_path_factory):
    """The demo agency's export, written by the CLI; returns (path, CLI output)."""
    path = tmp_path_factory.mktemp("agency-export") / "export.zip"
    result = source.test_cli_runner().invoke(
        args=["casework", "export-agency", "--agency", AGENCY_CODE, "--out", str(path)]
    )
    assert result.exit_code == 0, result.output
    return path, result.output


@pytest.fixture(scope="module")
def target(exported):
    """A fresh installation (reference data only) into which the export was imported by the CLI."""
    application = build_app("agency_target")
    result = application.test_cli_runner().invoke(args=["casework", "import-agency", str(exported[0])])
    assert result.exit_code == 0, result.output
    assert f"imported for agency {AGENCY_CODE}" in result.output
    yield application
    with application.app_context():
        db.engine.dispose()


def _agency_id(application):
    with application.app_context():
        return db.session.scalar(sa.select(Agency.id).where(Agency.code == AGENCY_CODE))


def _rows(application, table, agency_id=None):
    """Every row of ``table`` (only the agency's when ``agency_id`` is given), in primary-key order."""
    with application.app_context():
        query = sa.select(table).order_by(*table.primary_key.columns)
        if agency_id is not None:
            query = Scope(agency_id).select(table)
        return [tuple(row) for row in db.session.execute(query)]


def test_every_table_of_the_agency_arrives_with_the_same_rows(source, target):
    agency_id = _agency_id(source)
    compared = 0
    with source.app_context():
        tables = scoped_tables()
    for table in tables:
        before = _rows(source, table, agency_id)
        after = _rows(target, table)
        if table.name == "audit_event":
            # The import adds its own row (no actor: the command line), and leaves the source's chain behind.
            imported = [row for row in after if row[table.c.keys().index("action")] == "exports.agency_imported"]
            assert len(imported) == 1
            after = [row for row in after if row not in imported]
            sealing = [table.c.keys().index(name) for name in chain.SEAL_COLUMNS]
            assert all(row[index] is None for row in after for index in sealing)
            before = [tuple(None if index in sealing else value for index, value in enumerate(row)) for row in before]
        assert after == before, table.name
        compared += len(before)
    assert compared > 1000
    with source.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Agency)) == 2
    with target.app_context():
        assert db.session.scalars(sa.select(Agency.code)).all() == [AGENCY_CODE]


def test_the_demo_agency_is_varied_enough_to_prove_something(source):
    agency_id = _agency_id(source)
    wanted = [
        "client",
        "client_category",
        "case_file",
        "case_stay",
        "service_delivery",
        "referral",
        "report",
        "case_closure",
        "aftercare_visit",
        "annual_target",
        "month_close",
        "closed_fact",
        "stored_file",
        "case_attachment",
    ]
    with source.app_context():
        stages = db.session.scalars(sa.select(Case.stage).where(Case.agency_id == agency_id).distinct()).all()
        counts = {name: len(_rows(source, db.metadata.tables[name], agency_id)) for name in wanted}
    assert len(stages) >= 4
    assert all(counts.values()), counts


def test_the_imported_audit_trail_is_sealed_into_the_new_installations_own_chain(target):
    with target.app_context():
        assert chain.seal() > 1
        verification = chain.verify()
    assert verification.broken is None and verification.unsealed == 0


def test_stored_files_come_back_byte_for_byte(source, target):
    with source.app_context():
        originals = {
            key: storage.path_of(key).read_bytes()
            for key in db.session.scalars(
                sa.select(StoredFile.storage_key).join(Agency).where(Agency.code == AGENCY_CODE)
            )
        }
    assert len(originals) >= 2
    with target.app_context():
        assert {key: storage.path_of(key).read_bytes() for key in originals} == originals


def _figures(application):
    """Every indicator's achievement table (rows and total) for this year and last, by indicator code."""
    figures = {}
    with application.app_context():
        agency = db.session.scalar(sa.select(Agency).where(Agency.code == AGENCY_CODE))
        this_year = local_today().year
        for indicator in db.session.scalars(agency_indicators(agency)).all():
            for year in (this_year - 1, this_year):
                report = served(agency, indicator, parse_period(str(year)))
                figures[(indicator.code, year)] = (tuple(report.rows), report.total)
    return figures


def test_the_figures_are_the_same(source, target):
    before, after = _figures(source), _figures(target)
    assert after == before
    assert any(total.realisation for _rows, total in before.values())


def test_new_records_after_the_import_get_new_ids(target):
    with target.app_context():
        agency = db.session.scalar(sa.select(Agency).where(Agency.code == AGENCY_CODE))
        top = db.session.scalar(sa.select(sa.func.max(Unit.id)))
        unit = Factories().unit(agency=agency)
        user = Factories().user(unit=unit)
        db.session.commit()
        assert unit.id > top and user.agency_id == agency.id


def test_the_manifest_describes_every_file(exported):
    path, output = exported
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
    assert manifest["format_version"] == 1 and manifest["agency"]["code"] == AGENCY_CODE
    assert manifest["schema_revision"]
    for entry in manifest["tables"]:
        assert entry["path"] in names and entry["columns"] and entry["left_out"] == 0 and entry["detached"] == {}
    assert {entry["path"] for entry in manifest["files"]} <= names
    assert "rows in" in output
