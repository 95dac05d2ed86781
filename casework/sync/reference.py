"""The reference data the field forms need offline, and a digest that tells whether it changed."""

import hashlib
import json

import sqlalchemy as sa

from casework.admin.schemas import DirectoryEntrySchema
from casework.aftercare.labels import RESULT_LABELS
from casework.cases.labels import CHANNEL_LABELS, OUTCOME_LABELS, SETTING_LABELS, STAGE_LABELS
from casework.clients.labels import SEX_LABELS
from casework.clients.matching import device_rules
from casework.extensions import db
from casework.org.models import Unit
from casework.reference import services
from casework.reference.models import GovLevel, Region
from casework.reference.schemas import (
    CategorySchema,
    PsksTypeSchema,
    RegionSchema,
    ServiceSchema,
    SpmServiceTypeSchema,
)
from casework.tracing.labels import KINSHIP_LABELS, METHOD_LABELS

DISTRICT, VILLAGE = 3, 4
# The value lists of the forms, each {value: label} (labels in the user's language).
ENUMS = {
    "intake_channels": CHANNEL_LABELS,
    "stages": STAGE_LABELS,
    "settings": SETTING_LABELS,
    "outcomes": OUTCOME_LABELS,
    "sexes": SEX_LABELS,
    "kinships": KINSHIP_LABELS,
    "lead_methods": METHOD_LABELS,
    "aftercare_results": RESULT_LABELS,
}


def _regions(agency):
    """The agency's districts and villages, or only its districts for a province (thousands of villages).

    A city or regency has tens of districts and at most a few hundred
    villages (Kota Bekasi: 12 and 56); a province's villages run to thousands,
    which its field staff look up online instead (``GET /api/v1/regions``).
    """
    levels = (DISTRICT,) if agency.level == GovLevel.PROVINCE else (DISTRICT, VILLAGE)
    found = db.session.scalars(
        sa.select(Region)
        .where(Region.code.like(f"{agency.region_code}.%"), Region.level.in_(levels), Region.retired.is_(False))
        .order_by(Region.code)
    )
    return RegionSchema(many=True).dump(found)


def _units(agency):
    """The agency's active units and partner organisations (for referral and provider choices)."""
    found = db.session.scalars(
        sa.select(Unit).where(Unit.agency_id == agency.id, Unit.active.is_(True)).order_by(Unit.name)
    )
    return DirectoryEntrySchema(many=True).dump(found)


def reference(agency):
    """Everything the offline forms choose from, as one JSON-ready dict."""
    return {
        "categories": CategorySchema(many=True).dump(services.list_categories()),
        "services": ServiceSchema(many=True).dump(services.list_services()),
        "spm_service_types": SpmServiceTypeSchema(many=True).dump(services.list_spm_service_types()),
        "psks_types": PsksTypeSchema(many=True).dump(services.list_psks_types()),
        "units": _units(agency),
        "regions": _regions(agency),
        "enums": {name: {str(value): str(label) for value, label in labels.items()} for name, labels in ENUMS.items()},
        "matching": device_rules(),
    }


def digest(data):
    """A short fingerprint of ``data``: equal fingerprints mean the device already holds the same reference data."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]
