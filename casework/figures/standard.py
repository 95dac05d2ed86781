"""The standard indicators every agency reports, loaded with the reference data.

Codes are stable (CSV imports, the API and the CLI name indicators by them;
docs/figures.md lists them). Each SPM service type of both levels gets a
``<TYPE>-PENERIMA`` (recipients) and a ``<TYPE>-MUTU`` (quality) indicator;
an agency's pages offer those of its own level. Like the other reference
datasets, the set is loaded once per ``VERSION``: rows an administrator
deactivated or deleted are never brought back by reloading the same version,
and existing rows are never overwritten.
"""

import sqlalchemy as sa

from casework.extensions import db
from casework.figures.models import DenominatorKind, Indicator, IndicatorUnit, PeriodRule, ReportedBy
from casework.reference.loader import insert_missing, record_dataset
from casework.reference.models import ReferenceDataset, SpmServiceType, SpmSetting

DATASET = "indicators"
VERSION = "2026.1"
SPM_RECIPIENTS, SPM_QUALITY = "PENERIMA", "MUTU"
DISASTER_MEASURE = "disaster_victims"

# code, name, name_en, counting unit, reported by, period rule, denominator, measure
_OTHERS = (
    ("OUTREACH-REACHED", "Orang terjangkau penjangkauan", "People reached by outreach",
     IndicatorUnit.PERSON, ReportedBy.BRANCH_OFFICE, PeriodRule.CUMULATIVE, DenominatorKind.TARGET,
     "outreach_reached"),
    ("RETURN-HOME", "Orang dipulangkan ke daerah asal", "People returned to their area of origin",
     IndicatorUnit.PERSON, ReportedBy.BRANCH_OFFICE, PeriodRule.CUMULATIVE, DenominatorKind.TARGET,
     "returned_home"),
    ("PANTI-RESIDENTS", "Warga binaan panti", "Panti residents",
     IndicatorUnit.PERSON, ReportedBy.PANTI, PeriodRule.CUMULATIVE, DenominatorKind.TARGET,
     "panti_residents"),
    ("REFERRAL-APPROVED", "Rujukan yang disetujui", "Referrals made (approved)",
     IndicatorUnit.SERVICE, ReportedBy.AGENCY, PeriodRule.CUMULATIVE, DenominatorKind.TARGET,
     "referrals_approved"),
    ("REFERRAL-COMPLETED", "Rujukan yang selesai", "Referrals completed",
     IndicatorUnit.SERVICE, ReportedBy.AGENCY, PeriodRule.CUMULATIVE, DenominatorKind.TARGET,
     "referrals_completed"),
    ("REUNIFICATION", "Orang direunifikasi dengan keluarga", "People reunified with their family",
     IndicatorUnit.PERSON, ReportedBy.AGENCY, PeriodRule.CUMULATIVE, DenominatorKind.TARGET,
     "reunifications"),
    ("DOCUMENTS", "Dokumen kependudukan yang difasilitasi", "Civil documents obtained",
     IndicatorUnit.SERVICE, ReportedBy.AGENCY, PeriodRule.CUMULATIVE, DenominatorKind.TARGET,
     "documents_obtained"),
    ("COMPLAINT-RESPONSE", "Pengaduan yang ditanggapi", "Complaints responded to",
     IndicatorUnit.SERVICE, ReportedBy.AGENCY, PeriodRule.PER_PERIOD, DenominatorKind.MEASURE,
     "complaint_response"),
    ("PPKS-HANDLED", "PPKS yang ditangani", "PPKS handled",
     IndicatorUnit.PERSON, ReportedBy.DISTRICT, PeriodRule.CUMULATIVE, DenominatorKind.POPULATION,
     "ppks_handled"),
)  # fmt: skip


def spm_code(type_code, suffix):
    """The code of an SPM type's indicator: ``spm_code("kab-1", "PENERIMA")`` is ``"KAB-1-PENERIMA"``."""
    return f"{type_code.upper()}-{suffix}"


def standard_rows():
    """Every standard indicator as a row for ``Indicator``: the SPM ones per service type first, then the others."""
    rows = []
    types = db.session.scalars(sa.select(SpmServiceType).order_by(SpmServiceType.level, SpmServiceType.ordinal))
    for spm_type in types:
        common = {
            "reported_by": ReportedBy.AGENCY,
            "period_rule": PeriodRule.CUMULATIVE,
            "denominator": DenominatorKind.MEASURE,
            "spm_service_type_id": spm_type.id,
            "active": True,
        }
        rows.append(
            {
                **common,
                "code": spm_code(spm_type.code, SPM_RECIPIENTS),
                "name": f"Penerima layanan SPM: {spm_type.name}",
                "name_en": f"SPM recipients: {spm_type.name_en}",
                "counting_unit": IndicatorUnit.PERSON,
                # Disaster victims are counted from the disaster registrations (casework.disasters.figures).
                "measure": DISASTER_MEASURE if spm_type.setting == SpmSetting.DISASTER else "spm_recipients",
                "ordinal": len(rows) + 1,
            }
        )
        rows.append(
            {
                **common,
                "code": spm_code(spm_type.code, SPM_QUALITY),
                "name": f"Mutu layanan SPM: {spm_type.name}",
                "name_en": f"SPM quality: {spm_type.name_en}",
                "counting_unit": IndicatorUnit.SERVICE,
                "measure": "spm_quality",
                "ordinal": len(rows) + 1,
            }
        )
    for code, name, name_en, unit, reported_by, period_rule, denominator, measure in _OTHERS:
        rows.append(
            {
                "code": code,
                "name": name,
                "name_en": name_en,
                "counting_unit": unit,
                "reported_by": reported_by,
                "period_rule": period_rule,
                "denominator": denominator,
                "measure": measure,
                "spm_service_type_id": None,
                "active": True,
                "ordinal": len(rows) + 1,
            }
        )
    return rows


def load_standard_indicators():
    """Adds the standard indicators missing so far, once per ``VERSION``; returns how many it inserted."""
    dataset = db.session.get(ReferenceDataset, DATASET)
    if dataset is not None and dataset.version == VERSION:
        return 0
    rows = standard_rows()
    inserted = insert_missing(Indicator, ("code",), rows)
    record_dataset(dataset, DATASET, VERSION, len(rows))
    return inserted
