"""``make bench``: the platform's figures beside the raw limits of its own parts, measured in
the same run on the same machine (README, *Performance*)."""
