"""API endpoints for reference data (regions, categories, services)."""
