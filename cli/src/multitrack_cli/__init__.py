"""``multitrack``: the operator's command line for a running platform."""
