"""FastAPI glue shared by every router: envelopes, errors, middleware, dependencies, OpenAPI."""
