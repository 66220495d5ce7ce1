"""One module per command; each answers a ``Report``: its data and how it reads."""
