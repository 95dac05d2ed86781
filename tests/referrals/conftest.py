"""Fixtures for referral tests: the cases' agency and staff, a supervisor, a receiving unit with its user, a partner."""

import pytest

from casework.auth.models import Role
from casework.auth.services import issue_token
from casework.org.models import PartnerType, UnitKind
from casework.referrals import services
from tests.admin.helpers import bearer
from tests.cases import conftest as cases

office, agency, staff, caseworker, supervisor, new_client, new_case, service = (
    cases.office,
    cases.agency,
    cases.staff,
    cases.caseworker,
    cases.supervisor,
    cases.new_client,
    cases.new_case,
    cases.service,
)

REASON = "Klien perlu tempat tinggal sementara yang aman selama keluarganya dicari."


@pytest.fixture
def shelter(make, agency):
    """The agency's rumah singgah: the receiving unit of the referrals here."""
    return make.unit(agency=agency, code="RS9", name="Rumah Singgah Harapan", kind=UnitKind.RUMAH_SINGGAH, capacity=20)


@pytest.fixture
def receiver(make, shelter):
    """A caseworker of the rumah singgah, who answers referrals to it."""
    return make.user(role=Role.CASEWORKER, unit=shelter)


@pytest.fixture
def hospital(make, agency):
    """A partner hospital from the agency's directory."""
    return make.unit(
        agency=agency, code="RSUD9", name="RSUD Kota Uji", kind=UnitKind.PARTNER, partner_type=PartnerType.HOSPITAL
    )


@pytest.fixture
def referral_values(shelter, service):
    """A valid proposal to the rumah singgah, with ``overrides``."""

    def values(**overrides):
        return {
            "destination_kind": "unit",
            "to_unit_id": shelter.id,
            "service_ids": [service("permakanan").id, service("dukungan-psikososial").id],
            "reason": REASON,
            "urgency": "urgent",
            "consent_given": True,
            **overrides,
        }

    return values


@pytest.fixture
def proposed(new_case, caseworker, referral_values):
    """Proposes a referral of a new case (or ``case``) by the caseworker (or ``by``): ``proposed(urgency=...)``."""

    def propose(case=None, by=None, **overrides):
        referral, _created = services.propose(case or new_case(), by or caseworker, referral_values(**overrides))
        return referral

    return propose


@pytest.fixture
def token_of():
    """Bearer headers of ``user``: ``client.get(..., headers=token_of(user))``."""

    def headers(user):
        _record, token = issue_token(user, "Tablet uji")
        return bearer(token)

    return headers


@pytest.fixture
def sign_in(client, login):
    """Signs ``user`` in through the login page, signing out whoever was signed in first."""

    def as_user(user):
        client.post("/logout")
        return login(user)

    return as_user
