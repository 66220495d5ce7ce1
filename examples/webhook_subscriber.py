"""A partner system's webhook receiver: verifies each delivery's signature and prints the event.

    MULTITRACK_WEBHOOK_SECRET=whsec_... python examples/webhook_subscriber.py [port]

The secret is the one ``POST /subscriptions`` answered, once. Deliveries are CloudEvents in
HTTP structured mode, signed after Standard Webhooks (``webhook-id``, ``webhook-timestamp``,
``webhook-signature``); a delivery whose signature does not verify is refused with 400 and
never printed. The same ``webhook-id`` comes again when a delivery is retried or redelivered:
a receiver that must act once keeps the ids it has seen. Needs only ``standardwebhooks``.
"""

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

webhook = Webhook(os.environ["MULTITRACK_WEBHOOK_SECRET"])


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        try:
            event = webhook.verify(body, dict(self.headers))
        except WebhookVerificationError as refused:
            print(f"refused a delivery: {refused}", file=sys.stderr, flush=True)
            self.send_response(400)
            self.end_headers()
            return
        print(json.dumps(event), flush=True)
        self.send_response(204)  # any 2xx: received; anything else is retried
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per event on stdout, nothing else


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8900
    print(f"listening on http://127.0.0.1:{port}/", file=sys.stderr, flush=True)
    HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
