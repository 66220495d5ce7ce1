"""What an operator asks a running service: its outbox and inbox, where an event stands, its
dead letters (and replaying them), rebuilding its read models, its effective settings.

Served by ``router.operations_router`` to consortium admins, mounted on every service by
``http.app.create_service_app``; the operator's command line (``multitrack``) calls it.
"""
