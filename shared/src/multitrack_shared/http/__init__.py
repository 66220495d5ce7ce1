"""HTTP plumbing every service uses: errors, body limits, health endpoints, app factory."""
