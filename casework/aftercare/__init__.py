"""Exit assessment (self-reliance index and graduation), aftercare visits after termination, graduation figures."""
