"""Language choice and Indonesian formats for dates and numbers.

UI strings are written in Bahasa Indonesia in the source and translated to
English by the catalogue in ``casework/translations``. The default language
therefore never depends on a compiled catalogue, and a string missing from the
English catalogue shows in Indonesian rather than breaking the page.
"""

from flask import current_app, has_request_context, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user


def select_locale():
    """The user's saved language, else the one chosen this session, else Indonesian."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        # The CLI, the scheduler: messages in the default language.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def month_name(month):
    """The month's name in the active language ("Januari")."""
    return get_locale().months["format"]["wide"][month]


def quarter_name(quarter):
    """The quarter's name ("Triwulan 2")."""
    return _("Triwulan %(number)d", number=quarter)


def register_filters(app):
    """Jinja filters that format in the active locale: ``|date``, ``|datetime``, ``|number``, ``|month_name``."""
    app.add_template_filter(month_name, "month_name")
    app.add_template_filter(lambda value, fmt="medium": format_date(value, fmt) if value else "", "date")
    app.add_template_filter(lambda value, fmt="medium": format_datetime(value, fmt) if value else "", "datetime")
    app.add_template_filter(lambda value: format_decimal(value) if value is not None else "", "number")


def safe_next_url(target):
    """``target`` when it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
