"""Factories that build valid records with sensible defaults; every call makes a new one."""

import itertools

from casework.auth.models import Role, User, UserRegionScope
from casework.auth.passwords import hash_password
from casework.extensions import db
from casework.org.models import Agency, GovLevel, Unit, UnitKind

TEST_PASSWORD = "Rahasia-Test-2026"
_counter = itertools.count(1)
_password_hash = None


def _test_password_hash():
    """Argon2 is slow on purpose; hash the shared test password once."""
    global _password_hash
    if _password_hash is None:
        _password_hash = hash_password(TEST_PASSWORD)
    return _password_hash


class Factories:
    """Callables that add records to the session and flush them."""

    def agency(self, **fields):
        """A city agency in Kota Bekasi unless told otherwise."""
        n = next(_counter)
        values = {
            "code": f"AG{n}",
            "name": f"Dinas Sosial Uji {n}",
            "level": GovLevel.CITY,
            "region_code": "32.75",
        }
        values.update(fields)
        return self._add(Agency(**values))

    def unit(self, agency=None, **fields):
        """A division of ``agency`` (a new agency when none is given)."""
        n = next(_counter)
        values = {"code": f"U{n}", "name": f"Bidang Uji {n}", "kind": UnitKind.DIVISION}
        values.update(fields)
        return self._add(Unit(agency=agency or self.agency(), **values))

    def user(self, role=Role.CASEWORKER, unit=None, regions=(), password=None, **fields):
        """An active user of ``role``; ``regions`` limits its scope to those region codes."""
        n = next(_counter)
        unit = unit or self.unit()
        values = {
            "username": f"user{n}",
            "full_name": f"Pengguna Uji {n}",
            "role": role,
            "agency": unit.agency,
            "unit": unit,
            "password_hash": hash_password(password) if password else _test_password_hash(),
        }
        values.update(fields)
        user = User(**values)
        user.region_scope = [UserRegionScope(region_code=code) for code in regions]
        return self._add(user)

    @staticmethod
    def _add(obj):
        db.session.add(obj)
        db.session.flush()
        return obj
