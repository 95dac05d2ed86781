"""The ``flask casework`` command group."""

from flask.cli import AppGroup

casework_cli = AppGroup("casework", help="Casework administration commands.")


def register_cli(app):
    """Adds the ``casework`` command group to ``flask``."""
    app.cli.add_command(casework_cli)
