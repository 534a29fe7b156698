"""Session storage backends: memory, files, dbm and Redis."""
