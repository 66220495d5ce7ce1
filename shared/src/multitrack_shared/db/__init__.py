"""Database plumbing shared by the services: engines, sessions, migrations, unit of work."""
