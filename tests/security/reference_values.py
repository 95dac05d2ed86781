"""URL values that name no agency's record (reference rows, the closed month, a region, a day), for the matrix."""

import sqlalchemy as sa

from casework.aftercare.variables import DEFAULT_VARIABLES
from casework.extensions import db
from casework.figures.close import previous_month
from casework.figures.models import Indicator
from casework.reference.models import Category, LocalCode, PsksType, SpmPackageItem
from tests.security.records import TODAY


class Globals:
    """URL values that name no agency's record: reference rows, the closed month, a region, a day."""

    def __init__(self):
        """Reads the reference rows' ids and adds a local code (reference data has none of its own)."""
        category_id = db.session.scalar(sa.select(sa.func.min(Category.id)))
        local = LocalCode(code_set="matriks", code="M1", name="Kode uji", category_id=category_id)
        db.session.add(local)
        db.session.flush()
        year, month = previous_month(TODAY)
        item = db.session.scalars(
            sa.select(SpmPackageItem).order_by(SpmPackageItem.spm_service_type_id, SpmPackageItem.ordinal)
        ).first()
        self.values = {
            "code": "32.75",
            "record_type": "clients",
            "day": TODAY.isoformat(),
            "year": year,
            "month": month,
            "revision": 1,
            "action": "begin-assessment",
            "category_id": category_id,
            # A service in the package of the SPM type named: moving or removing it is then possible.
            "service_id": item.service_id,
            "type_id": item.spm_service_type_id,
            "local_code_id": local.id,
            "psks_type_id": db.session.scalar(sa.select(sa.func.min(PsksType.id))),
            "indicator": db.session.scalar(sa.select(Indicator.code).order_by(Indicator.id)),
        }
        self.by_endpoint = {
            ("aftercare.save_variable", "code"): DEFAULT_VARIABLES[0][0],
            ("figure_targets.delete_population_year", "year"): TODAY.year,
        }

    def value(self, endpoint, name):
        """The value of the variable ``name`` in a URL of ``endpoint``."""
        return self.by_endpoint.get((endpoint, name), self.values[name])
