"""Pages of the field app: the shell, its web app manifest, its service worker and the session probe.

The shell is the same page for every user (no personal data: the caseload
comes from the sync feed into the device's encrypted store), so the service
worker can keep it and open it without a connection. The worker's cache is
named after a hash of every file it keeps, so a deploy that changes any of
them installs a new worker and drops the old cache.
"""

import hashlib
import json
from pathlib import Path

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from casework.cases.labels import CHANNEL_LABELS, STAGE_LABELS
from casework.clients.labels import SEX_LABELS
from casework.core.permissions import public, require
from casework.findings.labels import STATUS_LABELS, URGENCY_LABELS

bp = Blueprint("field", __name__)

# The shell's own files under static/, kept by the service worker with the page itself.
SHELL_FILES = (
    "css/app.css",
    "field/field.css",
    "field/app.js",
    "field/api.js",
    "field/crypto.js",
    "field/store.js",
    "field/feed.js",
    "field/outbox.js",
    "field/uploads.js",
    "field/views.js",
    "field/forms.js",
    "field/conflicts.js",
    "field/matching.js",
    "vendor/fuzzball/fuzzball_lite.esm.min.js",
    "field/logout.js",
    "field/icon-192.png",
    "field/icon-512.png",
    "img/icon.svg",
    "img/icons.svg",
    "fonts/noto-sans-latin-400-normal.woff2",
    "fonts/noto-sans-latin-600-normal.woff2",
    "fonts/noto-sans-latin-700-normal.woff2",
    "fonts/noto-sans-latin-ext-400-normal.woff2",
    "fonts/noto-sans-latin-ext-600-normal.woff2",
    "fonts/noto-sans-latin-ext-700-normal.woff2",
)
TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "field" / "app.html"


@bp.route("/")
@require("field.use")
def index():
    """The app shell: the views are drawn by static/field/app.js from the device's store."""
    labels = {
        "stages": {stage.value: str(label) for stage, label in STAGE_LABELS.items()},
        "channels": {channel.value: str(label) for channel, label in CHANNEL_LABELS.items()},
        "sexes": {sex.value: str(label) for sex, label in SEX_LABELS.items()},
        "urgencies": {urgency.value: str(label) for urgency, label in URGENCY_LABELS.items()},
        "report_statuses": {status.value: str(label) for status, label in STATUS_LABELS.items()},
    }
    return render_template("field/app.html", labels=labels)


@bp.route("/session")
@require("field.use")
def session_probe():
    """Who is signed in and a fresh CSRF token, for a shell opened from the device's cache."""
    user = current_user
    return {"username": user.username, "full_name": user.full_name, "role": user.role.value, "csrf": generate_csrf()}


@bp.route("/manifest.webmanifest")
@public
def manifest():
    """The web app manifest (public: browsers fetch it without cookies, and it holds nothing private)."""
    body = {
        "name": _("Casework Lapangan"),
        "short_name": _("Casework"),
        "description": _("Kasus dan temuan lapangan, juga tanpa sinyal."),
        "lang": "id",
        "start_url": url_for("field.index"),
        "scope": url_for("field.index"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#074a35",
        "icons": [
            {"src": url_for("static", filename=f"field/icon-{px}.png"), "sizes": f"{px}x{px}", "type": "image/png"}
            for px in (192, 512)
        ],
    }
    return current_app.response_class(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.route("/sw.js")
@public
def service_worker():
    """The service worker, served under /field/ so that its scope is the app; versioned by its files' hash."""
    precache = [url_for("field.index"), url_for("field.manifest")]
    precache += [url_for("static", filename=name) for name in SHELL_FILES]
    header = f"const VERSION = {json.dumps(_shell_version())};\nconst PRECACHE = {json.dumps(precache)};\n"
    source = (Path(current_app.static_folder) / "field" / "sw.js").read_text(encoding="utf-8")
    response = current_app.response_class(header + source, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _shell_version():
    """A short hash of the shell template, the worker and every file it keeps."""
    digest = hashlib.sha256(TEMPLATE.read_bytes())
    static = Path(current_app.static_folder)
    for name in (*SHELL_FILES, "field/sw.js"):
        digest.update((static / name).read_bytes())
    return digest.hexdigest()[:16]
