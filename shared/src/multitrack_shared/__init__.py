"""What the Multitrack services share: the published language, messaging, persistence, HTTP.

Nothing in here knows any one service; services depend on it, never the other way round.
"""
