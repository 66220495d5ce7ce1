"""Test support: in-memory fakes of a unit of work, a real broker, a real PostgreSQL, services
as real processes.

Registered for the whole suite by the root ``conftest.py`` (``pytest_plugins``).
"""
