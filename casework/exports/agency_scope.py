"""Which tables and rows a full agency export holds, found by walking the foreign keys of the metadata.

A table is *agency-scoped* when one of its foreign keys leads, directly or
through other tables, to ``agency``. Nothing lists those tables by hand: a
new feature's table is exported as soon as it refers to the agency, a unit, a
user, a client, a case… Every other table must be declared below as global
(reference data every installation loads) or ephemeral (worth nothing in a
move); ``unclassified_tables`` names the rest and a test fails on any.

A row of a scoped table is exported when the parents its NOT NULL links
point at are exported (or, for a table whose links are all nullable, when one
of them is). Links in nullable columns to rows outside the export (a user of
another agency who answered a transfer) are written as empty, and counted in
the manifest as ``detached``; rows that need such a row are left out and
counted as ``left_out``. In a single-agency installation both are zero.
"""

import sqlalchemy as sa

from casework.extensions import db

AGENCY_TABLE = "agency"

# Loaded by ``flask casework load-reference`` (or kept by the administrators of the installation) in every
# installation; the export records a fingerprint of each so an import can refuse different reference data.
GLOBAL_TABLES = frozenset(
    {
        "category",
        "indicator",
        "local_code",
        "psks_type",
        "reference_dataset",
        "region",
        "region_name_token",
        "service",
        "spm_package_item",
        "spm_service_type",
    }
)
# Short-lived rows that belong to no agency.
EPHEMERAL_TABLES = frozenset({"api_rate_window", "login_attempt", "sync_change"})
# Reference tables whose rows the exported records point at by id: their contents must match on import.
# Regions are keyed by their Kemendagri code, not an id; the version of the region table loaded stands for them.
FINGERPRINTED_TABLES = ("category", "indicator", "local_code", "psks_type", "service", "spm_service_type")


def links(table):
    """The single-column foreign keys of ``table`` to other tables."""
    found = []
    for fk in table.foreign_key_constraints:
        if fk.referred_table is table:
            continue
        if len(fk.elements) != 1:
            raise NotImplementedError(f"{table.name}: composite foreign keys are not exported")
        found.append(fk.elements[0])
    return found


def tables_reaching(root, metadata=None):
    """The tables with a foreign-key path to the table ``root`` (``root`` included), parents before children."""
    metadata = metadata or db.metadata
    reached = {root}
    changed = True
    while changed:
        changed = False
        for table in metadata.sorted_tables:
            if table.name not in reached and any(fk.column.table.name in reached for fk in links(table)):
                reached.add(table.name)
                changed = True
    return [table for table in metadata.sorted_tables if table.name in reached]


def scoped_tables(metadata=None):
    """The agency-scoped tables, parents before children (the order rows are inserted in)."""
    return tables_reaching(AGENCY_TABLE, metadata)


def unclassified_tables(metadata=None):
    """Tables neither scoped nor declared global/ephemeral, and declared ones that turned out scoped."""
    metadata = metadata or db.metadata
    scoped = {table.name for table in scoped_tables(metadata)}
    declared = GLOBAL_TABLES | EPHEMERAL_TABLES
    return sorted(
        name for name in metadata.tables if (name in scoped) == (name in declared) or name not in scoped | declared
    )


def self_links(table):
    """Columns of ``table`` that refer to its own rows (a unit's parent, a merged client's survivor)."""
    return [fk.elements[0] for fk in table.foreign_key_constraints if fk.referred_table is table]


class Scope:
    """SQL conditions selecting one agency's exported rows in every scoped table."""

    def __init__(self, agency_id, metadata=None):
        self.agency_id = agency_id
        self.tables = scoped_tables(metadata)
        self.names = {table.name for table in self.tables}
        self._conditions = {}

    def _parent_ids(self, element):
        """The exported values of the column ``element`` points at."""
        parent = element.column.table
        # Never correlated: a self link's subquery reads the same table as the query around it.
        return sa.select(element.column).where(self.condition(parent)).correlate(None).scalar_subquery()

    def _scoped_links(self, table):
        """(link, nullable) for each foreign key of ``table`` to a scoped table."""
        return [(fk, fk.parent.nullable) for fk in links(table) if fk.column.table.name in self.names]

    def condition(self, table):
        """The condition a row of ``table`` meets when it is exported."""
        if table.name not in self._conditions:
            if table.name == AGENCY_TABLE:
                condition = table.c.id == self.agency_id
            else:
                links = self._scoped_links(table)
                required = [fk.parent.in_(self._parent_ids(fk)) for fk, nullable in links if not nullable]
                if required:
                    condition = sa.and_(*required)
                else:
                    condition = sa.or_(*(fk.parent.in_(self._parent_ids(fk)) for fk, _ in links))
            self._conditions[table.name] = condition
        return self._conditions[table.name]

    def linked(self, table):
        """The condition a row of ``table`` meets when any of its links leads to the agency's rows."""
        if table.name == AGENCY_TABLE:
            return self.condition(table)
        return sa.or_(*(fk.parent.in_(self._parent_ids(fk)) for fk, _ in self._scoped_links(table)))

    def detachable(self, table):
        """Nullable link columns (self links included) that may point outside the export."""
        elements = [fk for fk, nullable in self._scoped_links(table) if nullable]
        elements += [fk for fk in self_links(table) if fk.parent.nullable]
        return elements

    def select(self, table):
        """The exported rows of ``table`` in primary-key order, with links outside the export emptied."""
        columns = []
        detachable = {fk.parent.name: fk for fk in self.detachable(table)}
        for column in table.columns:
            fk = detachable.get(column.name)
            if fk is None:
                columns.append(column)
            else:
                kept = fk.parent.in_(self._parent_ids(fk))
                columns.append(sa.case((kept, column), else_=sa.null()).label(column.name))
        return sa.select(*columns).where(self.condition(table)).order_by(*table.primary_key.columns)

    def counts(self, connection, table):
        """(exported rows, rows linked to the agency but left out, {column: links emptied})."""
        exported = connection.scalar(sa.select(sa.func.count()).select_from(table).where(self.condition(table)))
        linked = connection.scalar(sa.select(sa.func.count()).select_from(table).where(self.linked(table)))
        detached = {}
        for fk in self.detachable(table):
            outside = sa.and_(
                self.condition(table), fk.parent.is_not(None), sa.not_(fk.parent.in_(self._parent_ids(fk)))
            )
            count = connection.scalar(sa.select(sa.func.count()).select_from(table).where(outside))
            if count:
                detached[fk.parent.name] = count
        return exported, max(linked - exported, 0), detached
