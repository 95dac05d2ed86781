"""Every text column of every table holding a person is either anonymised or declared free of personal data."""

import sqlalchemy as sa

from casework.extensions import db
from casework.privacy.anonymise import CLIENT_CLEARED, DELETED, JSON_KEYS, KEPT, SCRUBBED
from casework.privacy.scope import person_tables


def test_no_text_column_is_forgotten(app):
    unclassified = []
    for table in person_tables(db.metadata):
        if table.name in DELETED:
            continue
        handled = {*SCRUBBED.get(table.name, ()), *KEPT.get(table.name, ())}
        if table.name in JSON_KEYS:
            handled.add(JSON_KEYS[table.name][0])
        if table.name == "client":
            handled |= {"full_name", *CLIENT_CLEARED}
        for column in table.columns:
            text = isinstance(column.type, sa.String | sa.Text | sa.JSON) and not isinstance(column.type, sa.Enum)
            if text and column.name not in handled:
                unclassified.append(f"{table.name}.{column.name}")
    assert unclassified == []


def test_the_lists_name_real_columns(app):
    for listing in (SCRUBBED, KEPT):
        for name, columns in listing.items():
            assert set(columns) <= set(db.metadata.tables[name].columns.keys()), name
