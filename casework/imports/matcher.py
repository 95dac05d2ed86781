"""The duplicate-aware matcher for a whole import: blocking in memory, scoring by ``casework.clients.matching``.

``likely_duplicates`` costs a few queries per person; at 100,000 rows that is
most of the time budget. An import instead loads the agency's name words once
(word → client ids, with each client's birth year), blocks each row's
candidates in memory, loads the candidates of a whole batch in one query and
scores them with the registry's own ``rank``. Blocking: every holder of a
word held by at most ``RARE`` clients; else the holders of the two rarest
words together; a single common word (a one-word name, "Agus") keeps the
holders born within the matcher's estimate tolerance or of unknown year. At
most ``POOL`` candidates per row are scored (the newest), as the registry's
matcher caps its pool. Clients the import itself creates are not candidates:
the dry run compared every row with the registry as it was, so the import does too.
"""

import heapq
from collections import defaultdict

import sqlalchemy as sa

from casework.clients.matching import ESTIMATE_TOLERANCE, LIKELY_SCORE, Probe, all_names, name_tokens, rank
from casework.clients.models import Client, ClientNameToken
from casework.extensions import db

RARE = 200
POOL = 40
CANDIDATES_SHOWN = 5
_COLUMNS = (
    Client.id,
    Client.full_name,
    Client.aliases,
    Client.sex,
    Client.birth_date,
    Client.birth_year,
    Client.birth_year_estimated,
    Client.mother_name,
    Client.origin_region_code,
)


class BatchMatcher:
    """The agency's name index in memory, for matching many rows."""

    def __init__(self, agency_id, exclude=()):
        """Loads the agency's (unmerged) clients' words and birth years, but those in ``exclude``."""
        self.agency_id = agency_id
        self.holders = defaultdict(set)
        self.years = {}
        merged = sa.select(Client.id).where(Client.agency_id == agency_id, Client.merged_into_id.is_not(None))
        skip = set(db.session.scalars(merged)) | set(exclude)
        tokens = sa.select(ClientNameToken.token, ClientNameToken.client_id).where(
            ClientNameToken.agency_id == agency_id
        )
        for token, client_id in db.session.execute(tokens):
            if client_id not in skip:
                self.holders[token].add(client_id)
        years = sa.select(Client.id, Client.birth_year).where(Client.agency_id == agency_id)
        self.years.update(db.session.execute(years).all())

    def _pool(self, probe):
        """The ids to score for ``probe``."""
        words = sorted(
            name_tokens(*all_names(probe.full_name, probe.aliases)), key=lambda w: len(self.holders.get(w, ()))
        )
        held = [self.holders[word] for word in words if self.holders.get(word)]
        if not held:
            return set()
        rare = [ids for ids in held if len(ids) <= RARE]
        if rare:
            pool = set().union(*rare)
        elif len(held) >= 2:
            pool = held[0] & held[1]
        else:
            year = probe.birth_year
            pool = held[0]
            if year:
                pool = {
                    client_id
                    for client_id in pool
                    if self.years.get(client_id) is None or abs(self.years[client_id] - year) <= ESTIMATE_TOLERANCE
                }
        return set(heapq.nlargest(POOL, pool)) if len(pool) > POOL else pool

    def matches(self, probes, exclude=()):
        """Per probe, the likely duplicates (``Match``, best first, at most five)."""
        pools = [self._pool(probe) - set(exclude) for probe in probes]
        wanted = list(set().union(*pools)) if pools else []
        loaded = {}
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            loaded.update((row.id, row) for row in db.session.execute(sa.select(*_COLUMNS).where(Client.id.in_(chunk))))
        return [
            rank(probe, [loaded[client_id] for client_id in pool if client_id in loaded], minimum=LIKELY_SCORE)[
                :CANDIDATES_SHOWN
            ]
            for probe, pool in zip(probes, pools, strict=True)
        ]


def probe_of(values):
    """The matcher's probe from a client's clean values."""
    return Probe.of(values)
