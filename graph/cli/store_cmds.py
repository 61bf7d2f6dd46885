"""Graph commands (ingest, query, export, validate, serve): being written."""
