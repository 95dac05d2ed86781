"""Static files: versioned URLs, so tablets on slow connections cache them for a year.

Every ``url_for('static', ...)`` gets ``?v=<modification time>``; a changed
file gets a new URL, so a long cache lifetime never serves a stale script.
"""

from functools import lru_cache
from pathlib import Path

ONE_YEAR = 365 * 24 * 3600


def register_assets(app):
    """Adds the version parameter to static URLs and a long cache lifetime to static responses."""
    static_root = Path(app.static_folder)
    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None:
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = ONE_YEAR

    @lru_cache(maxsize=256)
    def version(filename):
        path = static_root / filename
        return str(int(path.stat().st_mtime)) if path.is_file() else None

    @app.url_defaults
    def add_static_version(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            stamp = version(values["filename"])
            if stamp:
                values["v"] = stamp
