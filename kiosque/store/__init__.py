"""Storage: the engine, the schema, migrations and repository functions."""
