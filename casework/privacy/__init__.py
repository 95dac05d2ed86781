"""Data protection: consent per purpose, retention and anonymisation, data-subject export."""
