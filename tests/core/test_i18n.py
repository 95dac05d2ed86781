"""Indonesian dates and numbers by default, English on request."""

from datetime import UTC, date, datetime

from flask import render_template_string
from flask_babel import force_locale

from config import ProductionConfig


def test_dates_and_numbers_in_indonesian_format(app):
    with app.test_request_context():
        rendered = render_template_string(
            "{{ d|date('long') }} | {{ n|number }} | {{ t|datetime('short') }}",
            d=date(2026, 8, 17),
            n=1234567.5,
            t=datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        )
    # Jakarta is UTC+7: 03:04 UTC is 10:04 WIB.
    assert rendered == "17 Agustus 2026 | 1.234.567,5 | 02/01/26 10.04"


def test_english_when_chosen(app):
    with app.test_request_context(), force_locale("en"):
        rendered = render_template_string("{{ d|date('long') }} | {{ n|number }}", d=date(2026, 8, 17), n=1234567.5)
    assert rendered == "August 17, 2026 | 1,234,567.5"


def test_empty_values_render_as_nothing(app):
    with app.test_request_context():
        assert render_template_string("[{{ none|date }}][{{ none|number }}]", none=None) == "[][]"


def test_production_cookies_are_secure():
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.REMEMBER_COOKIE_SECURE is True


def test_messages_outside_a_request_are_indonesian(app):
    from flask_babel import gettext

    with app.app_context():
        assert gettext("Pilih peran.") == "Pilih peran."
