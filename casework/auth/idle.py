"""Idle timeout for browser sessions: a session not used for ``SESSION_IDLE_MINUTES`` ends at its next request.

The time of the last activity lives in the signed session cookie (seconds
since the epoch, key ``seen``). It is written at most once a minute, so the
cookie is not re-sent on every response (``SESSION_REFRESH_EACH_REQUEST`` is
off: the cookie changes only when the session does). A request the page's
own script makes in the background (the import progress bar's polling,
marked with the ``X-Casework-Background: 1`` header) does not count as
activity: an open page cannot keep a session alive forever. Bearer-token API
calls carry no session and are not affected; tokens have their own expiry.

When a session ends this way, the next page the user opens sends them to the
login page with a message, and back to that page after signing in; an API
call or a background request gets a 401 (see ``routes.init_login``).
"""

import time

from flask import current_app, request, session
from flask_babel import gettext as _

LAST_SEEN = "seen"
# Set in the session that replaces an idle one, so the login page can say why the user was signed out.
EXPIRED = "idle_expired"
BACKGROUND_HEADER = "X-Casework-Background"
# The last-activity time is rewritten (and the cookie re-sent) at most this often.
TOUCH_SECONDS = 60


def is_background():
    """Whether the page's script sent this request on its own (polling), not the user."""
    return request.headers.get(BACKGROUND_HEADER) == "1"


def idle_message():
    """The message shown on the login page after an idle session ended."""
    return _(
        "Sesi Anda berakhir karena tidak aktif selama lebih dari %(minutes)d menit. Silakan masuk kembali.",
        minutes=current_app.config["SESSION_IDLE_MINUTES"],
    )


def end_idle_session():
    """Signs the user out: an empty session (keeping the language), marked as ended for idleness.

    Runs before anything in the request has loaded the user, so clearing the
    session is the sign-out: Flask-Login then finds no user in it, and an API
    call that also carries a bearer token is signed in by the token.
    """
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session[EXPIRED] = True


def check_idle():
    """Ends a signed-in session idle for too long; otherwise notes the activity (at most once a minute)."""
    if "_user_id" not in session or request.endpoint == "static":
        return
    now = int(time.time())
    seen = session.get(LAST_SEEN)
    idle_seconds = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if isinstance(seen, int) and idle_seconds > 0 and now - seen > idle_seconds:
        end_idle_session()
        return
    # A session from before this setting (no time yet) starts counting now, background request or not.
    if not isinstance(seen, int) or (now - seen >= TOUCH_SECONDS and not is_background()):
        session[LAST_SEEN] = now


def register_idle_timeout(app):
    """Checks every request's session for idleness before its view runs."""
    app.before_request(check_idle)
