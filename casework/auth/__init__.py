"""Accounts, login and logout, sessions and API tokens."""
