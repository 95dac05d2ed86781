"""The files of the app's lists: which columns each holds, read by joins onto the list's own select.

Each ``ListExport.select`` takes the select a list pages (its filters and
order untouched) and reads the file's columns instead of the ORM rows: the
key first (``lists.columns_only``), then one expression per column, with the
joins those need (outer joins where the list's rows may lack them).
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from casework.auth.models import User
from casework.cases.labels import CHANNEL_LABELS, OUTCOME_LABELS, SETTING_LABELS, STAGE_LABELS
from casework.cases.models import Case, ServiceDelivery
from casework.clients.labels import SEX_LABELS
from casework.clients.models import Client, ClientCategory
from casework.exports.lists import Column, ListExport, columns_only
from casework.findings import labels as finding_labels
from casework.findings.models import Report
from casework.org.models import Unit
from casework.reference.models import Category, Region, Service
from casework.referrals import labels as referral_labels
from casework.referrals.models import Referral

_domicile = aliased(Region, name="domicile")
_origin = aliased(Region, name="origin")


def _current_categories():
    """The names of the categories a client holds now, comma-separated (one correlated aggregate)."""
    return (
        sa.select(sa.func.aggregate_strings(Category.name, ", "))
        .join(ClientCategory, ClientCategory.category_id == Category.id)
        .where(ClientCategory.client_id == Client.id, ClientCategory.until.is_(None))
        .scalar_subquery()
    )


CLIENT_COLUMNS = (
    Column(_l("Nama"), Client.full_name, mask="full_name"),
    Column(_l("Nama lain"), Client.aliases, mask="aliases"),
    Column(_l("Jenis kelamin"), Client.sex, SEX_LABELS),
    Column(_l("Tanggal lahir"), Client.birth_date),
    Column(_l("Tahun lahir"), Client.birth_year),
    Column(_l("Tempat lahir"), Client.place_of_birth),
    Column(_l("Nama ibu kandung"), Client.mother_name, mask="mother_name"),
    Column(_l("NIK"), Client.nik, mask="nik"),
    Column(_l("No. KK"), Client.kk_number, mask="kk_number"),
    Column(_l("Telepon"), Client.phone, mask="phone"),
    Column(_l("Alamat"), Client.address, mask="address"),
    Column(_l("Domisili"), _domicile.path),
    Column(_l("Daerah asal"), _origin.path),
    Column(_l("Kategori PPKS"), _current_categories()),
    Column(_l("Terdaftar"), Client.created_at),
)


def _client_file(select):
    """The registry's file: the client's identity, regions by their full path, current categories."""
    return (
        columns_only(select, CLIENT_COLUMNS, Client.id)
        .outerjoin(_domicile, _domicile.code == Client.domicile_region_code)
        .outerjoin(_origin, _origin.code == Client.origin_region_code)
    )


CLIENTS = ListExport("klien", _l("Klien"), CLIENT_COLUMNS, _client_file, Client.id)

_holder = aliased(User, name="holder")

CASE_COLUMNS = (
    Column(_l("Nomor kasus"), Case.number),
    Column(_l("Klien"), Client.full_name, mask="client_name"),
    Column(_l("NIK"), Client.nik, mask="nik"),
    Column(_l("Tanggal penerimaan"), Case.intake_date),
    Column(_l("Jalur penerimaan"), Case.intake_channel, CHANNEL_LABELS),
    Column(_l("Tempat penanganan"), Case.setting, SETTING_LABELS),
    Column(_l("Tahap"), Case.stage, STAGE_LABELS),
    Column(_l("Unit"), Unit.name),
    Column(_l("Pekerja sosial"), _holder.full_name),
    Column(_l("Asesmen selesai"), Case.assessed_on),
    Column(_l("Rencana"), Case.planned_on),
    Column(_l("Kebutuhan terpenuhi"), Case.needs_met_on),
    Column(_l("Terminasi"), Case.terminated_on),
    Column(_l("Hasil"), Case.outcome, OUTCOME_LABELS),
)


def _case_file(select):
    """The caseload's file: the case with its client, unit and caseworker."""
    return (
        columns_only(select, CASE_COLUMNS, Case.id)
        .join(Client, Client.id == Case.client_id)
        .join(Unit, Unit.id == Case.unit_id)
        .join(_holder, _holder.id == Case.caseworker_id)
    )


CASES = ListExport("kasus", _l("Kasus"), CASE_COLUMNS, _case_file, Case.client_id)

_provider = aliased(Unit, name="provider")

DELIVERY_COLUMNS = (
    Column(_l("Tanggal"), ServiceDelivery.delivered_on),
    Column(_l("Nomor kasus"), Case.number),
    Column(_l("Klien"), Client.full_name, mask="client_name"),
    Column(_l("Kode layanan"), Service.slug),
    Column(_l("Layanan"), Service.name),
    Column(_l("Jumlah"), ServiceDelivery.quantity),
    Column(_l("Satuan"), ServiceDelivery.unit_label),
    Column(_l("Unit kasus"), Unit.name),
    Column(_l("Pemberi layanan"), sa.func.coalesce(_provider.name, ServiceDelivery.provider_name)),
)


def _delivery_file(select):
    """The deliveries' file: each delivery with its case (joined by the list), client, service, unit, provider."""
    return (
        columns_only(select, DELIVERY_COLUMNS, ServiceDelivery.id)
        .join(Client, Client.id == Case.client_id)
        .join(Service, Service.id == ServiceDelivery.service_id)
        .join(Unit, Unit.id == Case.unit_id)
        .outerjoin(_provider, _provider.id == ServiceDelivery.provider_unit_id)
    )


DELIVERIES = ListExport("layanan", _l("Layanan"), DELIVERY_COLUMNS, _delivery_file, Case.client_id)

_to_unit = aliased(Unit, name="to_unit")
_proposer = aliased(User, name="proposer")

REFERRAL_COLUMNS = (
    Column(_l("Nomor rujukan"), Referral.number),
    Column(_l("Nomor kasus"), Case.number),
    Column(_l("Klien"), Client.full_name, mask="client_name"),
    Column(_l("Tujuan"), Referral.destination_kind, referral_labels.DESTINATION_LABELS),
    Column(_l("Penerima"), sa.func.coalesce(_to_unit.name, Referral.to_agency_name)),
    Column(_l("Urgensi"), Referral.urgency, referral_labels.URGENCY_LABELS),
    Column(_l("Status"), Referral.status, referral_labels.STATUS_LABELS),
    Column(_l("Diusulkan oleh"), _proposer.full_name),
    Column(_l("Diusulkan"), Referral.proposed_at),
    Column(_l("Diputuskan"), Referral.decided_at),
    Column(_l("Dijawab"), Referral.answered_at),
    Column(_l("Selesai"), Referral.completed_at),
)


def _referral_file(select):
    """The referrals' file: each referral with its case, client, receiver and proposer."""
    return (
        columns_only(select, REFERRAL_COLUMNS, Referral.id)
        .join(Case, Case.id == Referral.case_id)
        .join(Client, Client.id == Case.client_id)
        .outerjoin(_to_unit, _to_unit.id == Referral.to_unit_id)
        .join(_proposer, _proposer.id == Referral.proposed_by_id)
    )


REFERRALS = ListExport("rujukan", _l("Rujukan"), REFERRAL_COLUMNS, _referral_file, Case.client_id)

_village = aliased(Region, name="village")

REPORT_COLUMNS = (
    Column(_l("Nomor"), Report.number),
    Column(_l("Jenis"), Report.kind, finding_labels.KIND_LABELS),
    Column(_l("Sumber"), Report.source, finding_labels.SOURCE_LABELS),
    Column(_l("Urgensi"), Report.urgency, finding_labels.URGENCY_LABELS),
    Column(_l("Status"), Report.status, finding_labels.STATUS_LABELS),
    Column(_l("Diterima"), Report.received_at),
    Column(_l("Tanggal temuan"), Report.observed_on),
    Column(_l("Kategori"), Category.name),
    Column(_l("Wilayah"), _village.path),
    Column(_l("Unit"), Unit.name),
    Column(_l("Nama orang"), Report.person_name, mask="person_name"),
    Column(_l("Pelapor"), Report.reporter_name, mask="reporter_name"),
    Column(_l("Kontak pelapor"), Report.reporter_contact, mask="reporter_contact"),
)


def _report_file(select):
    """The triage queue's file: each finding or complaint with its category, village and unit."""
    return (
        columns_only(select, REPORT_COLUMNS, Report.id)
        .outerjoin(Category, Category.id == Report.category_id)
        .join(_village, _village.code == Report.region_code)
        .join(Unit, Unit.id == Report.unit_id)
    )


REPORTS = ListExport("laporan", _l("Temuan dan pengaduan"), REPORT_COLUMNS, _report_file)
