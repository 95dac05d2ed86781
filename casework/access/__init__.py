"""Sensitive records: who may read a client (and its cases) holding a sensitive category, and emergency access.

``rules`` holds the one rule (in SQL, for one record or a page of rows),
``gate`` applies it where pages and the API fetch a record, ``services``
grants emergency access ("break glass"). See docs/access.md.
"""
