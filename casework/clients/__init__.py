"""The client registry: the people (klien, PPKS) an agency serves, their identity and categories."""
