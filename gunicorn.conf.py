"""gunicorn's settings for the portal (read from the working directory, or with `-c`).

Liveness is answered by the gunicorn master, outside the request queue. A /healthz request waits
its turn behind real work (under 200 connections it took 2.15 s while pages answered), so a
probe with a 1 s timeout would restart every web process at the busiest moment. The master
serves no requests and already restarts any worker that misses its heartbeat for `--timeout`
seconds; "the master runs and has workers" is therefore what liveness means, and a thread in
the master answers it on its own address (LIVENESS_BIND, e.g. 0.0.0.0:8001) at once, however
busy the workers are. Readiness (database, cache, broker) stays /healthz, in Django.
"""

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

liveness_bind = os.environ.get("LIVENESS_BIND", "")


class _LivenessHandler(BaseHTTPRequestHandler):
    timeout = 2  # a probe that sends nothing cannot hold the one thread for long
    arbiter = None

    def do_GET(self):  # noqa: N802 - the name http.server calls
        if self.path.split("?")[0] != "/healthz":
            self.send_error(404)
            return
        workers = len(self.arbiter.WORKERS)
        status = 200 if workers else 503
        body = json.dumps({"status": "ok" if workers else "no workers", "workers": workers})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format, *args):  # noqa: A002 - quiet: a probe every few seconds
        pass


def when_ready(server):
    if not liveness_bind:
        return
    host, _, port = liveness_bind.rpartition(":")
    handler = type("LivenessHandler", (_LivenessHandler,), {"arbiter": server})
    server.liveness = HTTPServer((host or "0.0.0.0", int(port)), handler)  # noqa: S104 - the operator's choice
    threading.Thread(target=server.liveness.serve_forever, name="liveness", daemon=True).start()
    server.log.info("liveness answered on %s/healthz, outside the request queue", liveness_bind)


def post_fork(server, worker):
    # A worker inherits the master's listening socket: close its copy, so only the master answers.
    listener = getattr(server, "liveness", None)
    if listener is not None:
        listener.socket.close()
