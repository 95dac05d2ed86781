"""Imports every feature's models, so the metadata (and Alembic) sees all tables."""

from casework.access import models as access_models
from casework.aftercare import models as aftercare_models
from casework.audit import models as audit_models
from casework.auth import limits as rate_limit_models
from casework.auth import models as auth_models
from casework.cases import models as case_models
from casework.clients import models as client_models
from casework.closure import models as closure_models
from casework.disasters import models as disaster_models
from casework.figures import close_models as figure_close_models
from casework.figures import models as figure_models
from casework.figures import population as population_models
from casework.figures import quarterly as quarterly_models
from casework.figures import targets as target_models
from casework.files import models as file_models
from casework.findings import models as finding_models
from casework.imports import models as import_models
from casework.notifications import models as notification_models
from casework.org import models as org_models
from casework.privacy import models as privacy_models
from casework.reference import models as reference_models
from casework.referrals import models as referral_models
from casework.sync import models as sync_models
from casework.tracing import models as tracing_models
from casework.transfers import models as transfer_models

__all__ = [
    "access_models",
    "aftercare_models",
    "audit_models",
    "auth_models",
    "case_models",
    "client_models",
    "closure_models",
    "disaster_models",
    "figure_close_models",
    "figure_models",
    "file_models",
    "finding_models",
    "import_models",
    "notification_models",
    "org_models",
    "population_models",
    "privacy_models",
    "quarterly_models",
    "rate_limit_models",
    "reference_models",
    "referral_models",
    "sync_models",
    "target_models",
    "tracing_models",
    "transfer_models",
]
