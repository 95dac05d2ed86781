"""Reference data: categories, PSKS types, SPM service types, services and regions."""
