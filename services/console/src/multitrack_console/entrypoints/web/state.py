"""What the console's routes are given by the composition root (``bootstrap``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from multitrack_console.application.ports import FeedSource, PlatformApi
from multitrack_console.entrypoints.web.sessions import SessionStore
from multitrack_console.entrypoints.web.signin import SignIn


@dataclass
class ConsoleState:
    sessions: SessionStore
    signin: SignIn
    api_for: Callable[[str], PlatformApi]
    """The four services' APIs, called with this token."""
    secure_cookies: bool
    today: Callable[[], date]
    feed: FeedSource | None = None
    """The consortium's live events; None where the console reads no broker."""
