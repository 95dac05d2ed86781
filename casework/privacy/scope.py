"""Which rows hold one person's data, found by walking the foreign keys from ``client`` (as the agency export does).

A table holds personal data when one of its foreign keys leads, directly or
through other tables, to ``client``: nothing lists those tables by hand, so a
new feature's table is found as soon as it refers to a client, a case, a
referral… A row belongs to the person when *any* of its links leads to one of
their rows (a merge names two clients; the person is in it either way).
Three tables are added by other paths: disaster registrations carrying the
person's NIK, the stored files their rows point at, and the audit rows about
their records.
"""

import sqlalchemy as sa

from casework.exports.agency_scope import Scope, links, tables_reaching
from casework.extensions import db

CLIENT_TABLE = "client"
FILE_TABLE = "stored_file"
AUDIT_TABLE = "audit_event"


def person_tables(metadata=None):
    """The tables with a foreign-key path to ``client`` (``client`` included), parents before children."""
    return tables_reaching(CLIENT_TABLE, metadata)


class PersonScope(Scope):
    """SQL conditions selecting the rows of some clients (``client_ids``) in every table holding them."""

    def __init__(self, client_ids, metadata=None):
        """Scopes the tables reachable from ``client`` to the rows of ``client_ids``."""
        self.metadata = metadata or db.metadata
        self.client_ids = list(client_ids)
        self.tables = person_tables(self.metadata)
        self.names = {table.name for table in self.tables}
        self._conditions = {}

    def condition(self, table):
        """The condition a row of ``table`` meets when it belongs to the scoped clients."""
        if table.name not in self._conditions:
            if table.name == CLIENT_TABLE:
                condition = table.c.id.in_(self.client_ids)
            elif table.name == FILE_TABLE:
                condition = table.c.id.in_(self.file_ids())
            elif table.name == AUDIT_TABLE:
                condition = self._audit_condition(table)
            else:
                condition = sa.or_(*(fk.parent.in_(self._parent_ids(fk)) for fk, _ in self._scoped_links(table)))
                if table.name == "affected_person":
                    condition = sa.or_(condition, self._same_nik(table))
            self._conditions[table.name] = condition
        return self._conditions[table.name]

    def linked(self, table):
        """Any link decides already: the rows linked to the clients are the rows selected."""
        return self.condition(table)

    def _same_nik(self, table):
        """Disaster registrations in the clients' agencies carrying one of their NIKs."""
        client = self.metadata.tables[CLIENT_TABLE]
        event = self.metadata.tables["disaster_event"]
        niks = sa.select(client.c.nik).where(client.c.id.in_(self.client_ids), client.c.nik.is_not(None))
        agencies = sa.select(client.c.agency_id).where(client.c.id.in_(self.client_ids))
        events = sa.select(event.c.id).where(event.c.agency_id.in_(agencies))
        return sa.and_(table.c.nik.in_(niks.scalar_subquery()), table.c.event_id.in_(events.scalar_subquery()))

    def file_links(self):
        """(table, column) for each link from a scoped table to a stored file."""
        return [
            (table, fk.parent) for table in self.tables for fk in links(table) if fk.column.table.name == FILE_TABLE
        ]

    def file_ids(self):
        """A subquery of the stored files the scoped rows point at (photos, attachments, report photos)."""
        selects = [
            sa.select(column.label("id")).where(self.condition(table), column.is_not(None))
            for table, column in self.file_links()
        ]
        return sa.union(*selects).scalar_subquery() if len(selects) > 1 else selects[0].scalar_subquery()

    def _audit_condition(self, table):
        """Audit rows whose object is one of the scoped rows (single-column primary keys)."""
        parts = []
        for scoped in self.tables:
            keys = list(scoped.primary_key.columns)
            if len(keys) != 1:
                continue
            ids = sa.select(sa.cast(keys[0], sa.String)).where(self.condition(scoped)).scalar_subquery()
            parts.append(sa.and_(table.c.object_type == scoped.name, table.c.object_id.in_(ids)))
        return sa.or_(*parts)

    def export_tables(self):
        """Every table of a subject export: the person's tables, then their stored files and audit rows."""
        return [*self.tables, self.metadata.tables[FILE_TABLE], self.metadata.tables[AUDIT_TABLE]]
