"""Stored files: photos and documents kept outside the web root, served only through an authorised route."""
