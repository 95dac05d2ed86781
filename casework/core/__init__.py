"""Shared pieces every feature uses: database helpers, errors, pagination, permissions, i18n."""
