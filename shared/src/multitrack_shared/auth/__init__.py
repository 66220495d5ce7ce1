"""Who is calling and what they may do: the principal, the one access policy, personal data.

``principal``, ``policy`` and ``personal`` import no framework, so domain and application code
may use them; ``tokens`` turns a bearer token into a principal.
"""
