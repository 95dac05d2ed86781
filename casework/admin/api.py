"""API endpoints for administration."""
