"""Administration operations: the agency, its units and partners, and user accounts.

Each operation checks its guard, changes state, writes an audit row and
flushes; the caller commits. Input is checked here, once, for pages and the
API alike: every problem is reported per field in Bahasa Indonesia before the
database's own constraints would refuse the row.
"""

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.aftercare.schedule import FIELD as AFTERCARE_FIELD
from casework.aftercare.schedule import checked_visit_months
from casework.audit.services import record
from casework.auth.models import ApiToken, Role, ScopeKind, User, UserRegionScope, new_session_nonce
from casework.auth.passwords import hash_password, password_problems
from casework.auth.services import normalise_username, revoke_token, set_password
from casework.core.errors import ValidationFailed, check_version, flush_versioned
from casework.core.validation import Problems, choice, text, whole_number
from casework.extensions import db
from casework.figures.weights import WEIGHT_FIELDS, checked_weights
from casework.org.models import RESIDENTIAL_KINDS, Agency, PartnerType, Unit, UnitKind
from casework.reference.models import GovLevel
from casework.reference.services import require_region
from casework.tracing.schedule import FIELD as FOLLOWUP_FIELD
from casework.tracing.schedule import checked_visit_days

AGENCY_FIELDS = ("name", "level", "region_code", "address", "phone", "head_name")
# The case deadlines an agency sets for itself, in days: stay in a shelter, assessment, first service after the plan,
# and how long a referral may wait for a decision or an answer.
DEADLINE_FIELDS = ("stay_limit_days", "assessment_due_days", "service_due_days", "referral_due_days")
DEADLINE_DAYS_MAX = 365
UNIT_FIELDS = ("code", "name", "kind", "partner_type", "capacity", "region_code", "parent_id", "address", "phone")
USER_FIELDS = ("username", "full_name", "email", "phone", "role", "unit_id", "scope_kind", "region_codes")

USERNAME_PATTERN = re.compile(r"[a-z0-9._-]{3,40}")
# An agency's own region is a province (level 1) or a city/regency (level 2).
AGENCY_REGION_LEVEL = {GovLevel.PROVINCE: 1, GovLevel.CITY: 2}
# A limited scope lists districts (kecamatan, level 3) or villages (level 4).
SCOPE_REGION_LEVEL = {ScopeKind.DISTRICTS: 3, ScopeKind.VILLAGES: 4}


def _region(problems, code, field, levels=None, within=None):
    """The region ``code`` names; notes a problem when it is unknown, of another level, or outside ``within``."""
    try:
        region = require_region(code, levels=levels, field=field)
    except ValidationFailed as error:
        problems.take(error)
        return None
    if within and not region.code.startswith(within + "."):
        problems.add(field, _("%(code)s (%(name)s) berada di luar wilayah dinas.", code=region.code, name=region.name))
        return None
    return region


def _stale_message():
    """What a user is told when someone else saved the record first."""
    return _(
        "Data ini sudah diubah orang lain sejak Anda membukanya. "
        "Muat ulang untuk melihat versi terbaru, lalu ulangi perubahan Anda."
    )


def _flush():
    """Flushes; a concurrent save of the same row becomes a Conflict."""
    flush_versioned(_stale_message)


def _assign(obj, values):
    """Sets the values that differ from the object's; returns those, for the audit row."""
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    for name, value in changed.items():
        setattr(obj, name, value)
    return changed


def _current(obj, fields):
    """The object's present values of ``fields``, the base a partial change is laid over."""
    return {name: getattr(obj, name) for name in fields}


# --- The agency ---------------------------------------------------------------------------------


def _agency_values(problems, values):
    """Checks agency input (name, level, region matching the level, address, phone, the head's name)."""
    columns = Agency.__table__.c
    clean = {
        "name": text(problems, values, columns.name, required=True),
        "level": choice(problems, values.get("level"), "level", GovLevel, _("Pilih tingkat dinas.")),
        "address": text(problems, values, columns.address),
        "phone": text(problems, values, columns.phone),
        "head_name": text(problems, values, columns.head_name),
    }
    if clean["level"] is not None:
        region = _region(
            problems, values.get("region_code"), "region_code", levels=[AGENCY_REGION_LEVEL[clean["level"]]]
        )
        clean["region_code"] = region.code if region else None
    return clean


def create_agency(**values):
    """Registers a new agency (a deployment's first step, before its units and users)."""
    problems = Problems()
    clean = _agency_values(problems, values)
    clean["code"] = text(problems, values, Agency.__table__.c.code, required=True)
    if clean["code"] and db.session.scalar(sa.select(Agency.id).where(Agency.code == clean["code"])):
        problems.add("code", _("Kode dinas sudah dipakai."))
    problems.raise_any()
    agency = Agency(**clean)
    db.session.add(agency)
    db.session.flush()
    record("agency.created", agency, fields=clean)
    return agency


def _deadline_values(problems, values):
    """Checks the case deadlines: whole days from 1 to 365."""
    clean = {}
    for name in DEADLINE_FIELDS:
        message = _("Isi jumlah hari dari 1 sampai %(max)d.", max=DEADLINE_DAYS_MAX)
        number = whole_number(problems, values.get(name), name, message)
        if name not in problems.fields and (number is None or number > DEADLINE_DAYS_MAX):
            problems.add(name, message)
        clean[name] = number
    return clean


def update_agency(agency, **changes):
    """Changes the agency's name, level, region, address, phone, case deadlines or follow-up visit days."""
    problems = Problems()
    current = _current(agency, (*AGENCY_FIELDS, *DEADLINE_FIELDS, FOLLOWUP_FIELD, AFTERCARE_FIELD, *WEIGHT_FIELDS))
    clean = _agency_values(problems, {**current, **changes})
    clean.update(_deadline_values(problems, {**current, **changes}))
    clean[FOLLOWUP_FIELD] = checked_visit_days(problems, {**current, **changes}[FOLLOWUP_FIELD])
    clean[AFTERCARE_FIELD] = checked_visit_months(problems, {**current, **changes}[AFTERCARE_FIELD])
    clean.update(checked_weights(problems, {**current, **changes}))
    problems.raise_any()
    changed = _assign(agency, clean)
    if changed:
        _flush()
        record("agency.updated", agency, fields=changed)
    return agency


# --- Units and partner organisations --------------------------------------------------------------


def _parent(problems, agency, unit, parent_id):
    """The parent unit: of the same agency, and neither ``unit`` itself nor one of its sub-units."""
    if parent_id is None:
        return None
    parent = db.session.get(Unit, parent_id)
    if parent is None or parent.agency_id != agency.id:
        problems.add("parent_id", _("Unit induk tidak ditemukan."))
        return None
    ancestor = parent
    while ancestor is not None:
        if unit is not None and ancestor.id == unit.id:
            problems.add("parent_id", _("Unit induk tidak boleh unit ini sendiri atau salah satu sub-unitnya."))
            return None
        ancestor = ancestor.parent
    return parent


def _unit_values(agency, unit, values):
    """Checks unit input against every rule; returns the values to store or raises ValidationFailed."""
    problems = Problems()
    columns = Unit.__table__.c
    clean = {
        "code": text(problems, values, columns.code, required=True),
        "name": text(problems, values, columns.name, required=True),
        "kind": choice(problems, values.get("kind"), "kind", UnitKind, _("Pilih jenis unit.")),
        "partner_type": None,
        "capacity": None,
        "region_code": None,
        "parent_id": None,
        "address": text(problems, values, columns.address),
        "phone": text(problems, values, columns.phone),
    }
    # Partner type and capacity belong to some kinds only; a value left in a hidden form field is dropped.
    if clean["kind"] == UnitKind.PARTNER:
        clean["partner_type"] = choice(
            problems,
            values.get("partner_type"),
            "partner_type",
            PartnerType,
            _("Pilih jenis mitra untuk organisasi mitra."),
        )
    if clean["kind"] in RESIDENTIAL_KINDS:
        capacity = values.get("capacity")
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            problems.add("capacity", _("Panti, rumah singgah dan shelter wajib punya kapasitas lebih dari 0."))
        else:
            clean["capacity"] = capacity
    if values.get("region_code"):
        region = _region(problems, values["region_code"].strip(), "region_code")
        clean["region_code"] = region.code if region else None
    parent = _parent(problems, agency, unit, values.get("parent_id"))
    clean["parent_id"] = parent.id if parent else None
    if clean["code"] and db.session.scalar(
        sa.select(Unit.id).where(
            Unit.agency_id == agency.id, Unit.code == clean["code"], Unit.id != (unit.id if unit else None)
        )
    ):
        problems.add("code", _("Kode unit sudah dipakai unit lain di dinas ini."))
    problems.raise_any()
    return clean


def create_unit(agency, **values):
    """Adds a unit or partner organisation to ``agency``."""
    clean = _unit_values(agency, None, values)
    unit = Unit(agency=agency, **clean)
    db.session.add(unit)
    db.session.flush()
    record("unit.created", unit, fields=clean)
    return unit


def update_unit(unit, version, **changes):
    """Changes a unit; ``version`` is the one the editor started from, so a stale edit is refused."""
    check_version(unit, version, _stale_message())
    clean = _unit_values(unit.agency, unit, {**_current(unit, UNIT_FIELDS), **changes})
    changed = _assign(unit, clean)
    if changed:
        _flush()
        record("unit.updated", unit, fields=changed)
    return unit


def set_unit_active(unit, active):
    """Deactivates or reactivates a unit; a unit people still work in stays active."""
    if unit.active == active:
        return unit
    if not active:
        staff = db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.unit_id == unit.id, User.active.is_(True))
        )
        if staff:
            raise ValidationFailed(
                _("Unit ini masih punya %(n)d pengguna aktif. Pindahkan mereka ke unit lain dahulu.", n=staff)
            )
    unit.active = active
    _flush()
    record("unit.activated" if active else "unit.deactivated", unit)
    return unit


# --- User accounts ----------------------------------------------------------------------------------


def _user_unit(problems, agency, unit_id):
    """Notes a problem unless ``unit_id`` is an active unit of ``agency`` (partners employ no users here)."""
    unit = db.session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    if unit is None or unit.agency_id != agency.id or unit.is_partner or not unit.active:
        problems.add("unit_id", _("Pilih unit dinas yang aktif (bukan organisasi mitra)."))


def _scope(problems, agency, role, values):
    """The scope kind and the sorted region codes it lists, checked against the role and the agency's region."""
    # No scope given means the whole agency, the usual case for staff.
    scope_kind = choice(
        problems, values.get("scope_kind") or ScopeKind.AGENCY, "scope_kind", ScopeKind, _("Pilih cakupan wilayah.")
    )
    if scope_kind == ScopeKind.AGENCY and role == Role.VOLUNTEER:
        problems.add("scope_kind", _("Relawan harus dibatasi pada kecamatan atau kelurahan/desa tertentu."))
    if scope_kind not in SCOPE_REGION_LEVEL:
        # The whole agency: codes left in the form belong to no scope and are dropped.
        return scope_kind, []
    codes = sorted({code.strip() for code in values.get("region_codes") or () if code.strip()})
    if not codes:
        problems.add("region_codes", _("Isi paling sedikit satu kode wilayah."))
    for code in codes:
        _region(problems, code, "region_codes", levels=[SCOPE_REGION_LEVEL[scope_kind]], within=agency.region_code)
    return scope_kind, codes


def _user_values(problems, agency, user, values):
    """Checks account input against every rule, noting problems; returns the values to store."""
    columns = User.__table__.c
    username = normalise_username(values.get("username"))
    if not USERNAME_PATTERN.fullmatch(username):
        problems.add(
            "username", _("Nama pengguna 3–40 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung.")
        )
    elif db.session.scalar(sa.select(User.id).where(User.username == username, User.id != (user.id if user else None))):
        problems.add("username", _("Nama pengguna sudah dipakai"))
    clean = {
        "username": username,
        "full_name": text(problems, values, columns.full_name, required=True),
        "email": text(problems, values, columns.email),
        "phone": text(problems, values, columns.phone),
        "role": choice(problems, values.get("role"), "role", Role, _("Pilih peran.")),
        "unit_id": values.get("unit_id"),
    }
    if clean["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", clean["email"]):
        problems.add("email", _("Alamat email tidak valid."))
    _user_unit(problems, agency, clean["unit_id"])
    clean["scope_kind"], clean["region_codes"] = _scope(problems, agency, clean["role"], values)
    return clean


def _require_another_admin(user, field=None):
    """Refuses to take away the agency's last active administrator."""
    others = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(User)
        .where(User.agency_id == user.agency_id, User.role == Role.ADMIN, User.active.is_(True), User.id != user.id)
    )
    if not others:
        message = _("Dinas harus tetap punya paling sedikit satu administrator aktif.")
        raise ValidationFailed(message, fields={field: [message]} if field else None)


def _set_scope(user, codes):
    """Replaces the user's scope rows, keeping those that stay."""
    kept = {scope.region_code: scope for scope in user.region_scope}
    user.region_scope = [kept.get(code) or UserRegionScope(region_code=code) for code in codes]


def create_user(agency, password=None, **values):
    """Creates an account in ``agency`` with an initial password that meets the policy."""
    problems = Problems()
    clean = _user_values(problems, agency, None, values)
    if not password:
        problems.add("password", _("Isi kata sandi awal."))
    else:
        for message in password_problems(password, clean["username"]):
            problems.add("password", message)
    problems.raise_any()
    codes = clean.pop("region_codes")
    user = User(agency=agency, password_hash=hash_password(password), **clean)
    _set_scope(user, codes)
    db.session.add(user)
    db.session.flush()
    record("user.created", user, fields={**clean, "region_codes": codes})
    return user


def update_user(user, version, **changes):
    """Changes an account; ``version`` is the one the editor started from, so a stale edit is refused."""
    check_version(user, version, _stale_message())
    problems = Problems()
    clean = _user_values(problems, user.agency, user, {**_current(user, USER_FIELDS), **changes})
    problems.raise_any()
    if user.active and user.role == Role.ADMIN and clean["role"] != Role.ADMIN:
        _require_another_admin(user, field="role")
    codes = clean.pop("region_codes")
    changed = _assign(user, clean)
    if codes != user.region_codes:
        _set_scope(user, codes)
        changed["region_codes"] = codes
    if changed:
        user.bump_version()
        _flush()
        record("user.updated", user, fields=changed)
    return user


def set_user_active(user, active, actor):
    """Deactivates (ending sessions, revoking API tokens) or reactivates an account."""
    if user.active == active:
        return user
    if not active:
        if user.id == actor.id:
            raise ValidationFailed(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
        if user.role == Role.ADMIN:
            _require_another_admin(user)
        user.session_nonce = new_session_nonce()
        for token_id in db.session.scalars(
            sa.select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        ).all():
            revoke_token(token_id, owner=user)
    user.active = active
    user.bump_version()
    _flush()
    record("user.activated" if active else "user.deactivated", user)
    return user


def reset_user_password(user, password, actor):
    """Sets another user's password after the policy check; every session of theirs ends."""
    if user.id == actor.id:
        # Here no current password is asked for, so one's own goes through the account page.
        raise ValidationFailed(_("Ganti kata sandi Anda sendiri melalui halaman Akun saya."))
    set_password(user, password)
    user.bump_version()
    _flush()
    return user


def revoke_user_token(user, token_id):
    """Revokes one of ``user``'s API tokens."""
    token = revoke_token(token_id, owner=user)
    db.session.flush()
    return token
