"""Paging rows ranked outside the database (``Ranked``): rank order, total, pages, and pages past the end."""

import sqlalchemy as sa

from casework.core.pagination import Ranked, RankedPagination, page_meta, paginate
from casework.reference.models import Region

# Kecamatan of Kota Bekasi, in an order no column gives them.
RANKED = ["32.75.05", "32.75.01", "32.75.12", "32.75.03", "32.75.08"]


def page_of(app, ranked, query):
    """The page ``paginate`` gives for ``ranked`` at the query string ``query``."""
    with app.test_request_context(f"/?{query}"):
        return paginate(ranked)


def districts(ids=RANKED):
    """The Kota Bekasi kecamatan ``ids``, ranked as listed."""
    return Ranked(sa.select(Region).where(Region.level == 3), Region.code, ids)


def test_a_page_keeps_the_rank_order_and_counts_every_ranked_id(app):
    page = page_of(app, districts(), "page=1&per_page=2")
    assert isinstance(page, RankedPagination)
    assert [region.code for region in page.items] == ["32.75.05", "32.75.01"]
    assert page_meta(page) == {"page": 1, "per_page": 2, "total": 5, "pages": 3, "more": False}
    assert (page.has_prev, page.has_next, page.next_num) == (False, True, 2)


def test_the_last_page_holds_the_rest(app):
    page = page_of(app, districts(), "page=3&per_page=2")
    assert [region.code for region in page.items] == ["32.75.08"]
    assert (page.has_next, page.prev_num, list(page.iter_pages())) == (False, 2, [1, 2, 3])


def test_a_page_past_the_end_is_empty_not_an_error(app):
    page = page_of(app, districts(), "page=9&per_page=2")
    assert page.items == []
    assert (page.total, page.pages, page.has_next) == (5, 3, False)


def test_the_page_size_is_capped_and_rows_gone_since_ranking_are_skipped(app):
    ranked = districts([*RANKED, "32.75.01.1001", "99.99.99"])
    page = page_of(app, ranked, "per_page=500")
    assert page.per_page == app.config["PER_PAGE_MAX"]
    assert [region.code for region in page.items] == RANKED
    assert page.total == 7


def test_nothing_ranked_is_one_empty_page(app):
    page = page_of(app, districts([]), "")
    assert (page.items, page.total, page.pages, page.has_next) == ([], 0, 0, False)
