"""Tests of the browser app: serving it, and (tests/browser) using it."""
