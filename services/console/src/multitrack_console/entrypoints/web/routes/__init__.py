from multitrack_console.entrypoints.web.routes import (
    auth,
    engagements,
    evaluation,
    feed,
    invitations,
    partners,
)

routers = [
    auth.router,
    invitations.router,
    engagements.router,
    partners.router,
    evaluation.router,
    feed.router,
]
