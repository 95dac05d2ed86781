"""Importing records from CSV and XLSX files (issue 7): record types, dry run, background jobs.

Each record type lives in its own module, listed in ``TYPE_MODULES``, and
registers itself in ``casework.imports.types.RECORD_TYPES`` when imported.
"""

from importlib import import_module

TYPE_MODULES = (
    "casework.imports.clients",
    "casework.imports.cases",
    "casework.imports.deliveries",
    "casework.imports.referrals",
    "casework.imports.aftercare",
    "casework.imports.disaster_households",
)


def load_types():
    """Imports every record type module (idempotent); returns the registry."""
    from casework.imports.types import RECORD_TYPES

    for name in TYPE_MODULES:
        import_module(name)
    return RECORD_TYPES
