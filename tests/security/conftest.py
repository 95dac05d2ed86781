"""Reports the size of the authorisation matrix at the end of the run, for the lead's figures."""

from tests.security import tally


def pytest_terminal_summary(terminalreporter):
    """Prints how many route × method × role × scope cells the matrix checked, and the fuzzing's examples."""
    for line in tally.lines():
        terminalreporter.write_line(line)
