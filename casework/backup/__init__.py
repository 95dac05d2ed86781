"""Consistent backups of the database and stored files while the service runs, and restoring them."""
