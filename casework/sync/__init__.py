"""Offline sync for the field app: the caseload feed, its change detection, and resumable uploads.

- ``caseload``: what a user's caseload is, per role, and its records as the existing GETs return them.
- ``feed``: ``GET /api/v1/sync/caseload``: a full download, or the delta since a cursor.
- ``cursor``: the signed cursor (feed position, members sent, reference digest).
- ``reference``: the reference data the offline forms need.
- ``uploads`` / ``upload_api``: resumable (tus-like) uploads used in place of a file part.

Change detection: row triggers on every table a device holds (migration
b1c0ffee0022) write a ``sync_change`` row per insert, update and delete, so a
change made by a page, the API, an import, a scheduled job or bulk SQL is seen
alike; calling a function from every service would miss the writes that
bypass services.

Delta correctness under concurrent transactions: the cursor records, from
one statement's snapshot, the highest ``seq`` and (PostgreSQL) the ids of the
transactions still running (``pg_snapshot_xip(pg_current_snapshot())``). The
next delta reads the rows with a higher seq or written by one of those
transactions: a transaction that began before the cursor and commits after it
may hold a lower seq, and is caught by its id (``tests/sync/test_concurrency.py``).
SQLite has one writer at a time, committing in seq order: the seq alone is
exact there. Removals come from comparing the members the cursor lists with
today's caseload. The whole design, with figures, is in docs/sync.md.
"""
