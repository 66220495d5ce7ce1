"""What a running service tells about itself: Prometheus metrics, health and consumer progress.

``metrics.ServiceMetrics`` holds every metric family a service exports, in a registry of its
own; ``http.HttpMetrics`` counts requests by route template; ``progress.ConsumerProgress``
follows each consumed partition's lag and notices a stall; ``monitor.HealthMonitor`` probes
the broker and counts the outbox in the background; ``health.ServiceHealth`` answers the three
health endpoints from all of them. The runtime and the app factory wire them for every service.
"""
