#!/usr/bin/env python3
"""A webhook receiver for tests: Python's standard library only.

Listens on 127.0.0.1 (port 0 = any free port, or --port), writes the port to --port-file
once it listens (atomically: the file appears complete), and appends every request it
receives to --log as one JSON line BEFORE answering it:
  {"time": 1733212800.25, "method": "POST", "path": "/hook", "headers": {...},
   "body": "...", "step": "200", "signature_ok": true}
("signature_ok" only with --secret). What it answers comes from --script, a comma list
consumed one step per request, the last step repeating:
  200, 500, 404 ...   answer that status
  slow:SECONDS        sleep, then answer 200
  hang                never answer; keep the connection open until the server stops
  close               drop the connection without answering
With --secret S, a request whose X-Router-Signature is not "sha256=" + HMAC-SHA256(S, body)
in lower-case hex is answered 401 instead of its step (the step is still used up).
With --tls PEM (a certificate and its key in one file) it speaks HTTPS instead; a client
that refuses the certificate ends the connection during the handshake, before any request.
SIGTERM or SIGINT stop it cleanly (exit status 0).

  webhook_server.py --port-file PORT --log LOG [--script 200,500,hang] [--secret S] [--tls PEM]
"""

import argparse
import hashlib
import hmac
import json
import os
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Script:
    """The answers, one per request, the last one repeating."""

    def __init__(self, text):
        self.steps = [s.strip() for s in text.split(",") if s.strip()] or ["200"]
        for step in self.steps:
            if not (step.isdigit() or step in ("hang", "close") or
                    (step.startswith("slow:") and _is_number(step[5:]))):
                raise ValueError(f"unknown step {step!r}")
        self.next = 0
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            step = self.steps[min(self.next, len(self.steps) - 1)]
            self.next += 1
            return step


def _is_number(text):
    try:
        return float(text) >= 0
    except ValueError:
        return False


class Handler(BaseHTTPRequestHandler):
    server_version = "webhook-test/1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self):
        body = self._read_body()
        server = self.server
        step = server.script.take()
        entry = {
            "time": time.time(),
            "method": self.command,
            "path": self.path,
            "headers": {name: value for name, value in self.headers.items()},
            "body": body.decode("utf-8", errors="replace"),
            "step": step,
        }
        signature_ok = True
        if server.secret is not None:
            expected = "sha256=" + hmac.new(server.secret, body, hashlib.sha256).hexdigest()
            given = self.headers.get("X-Router-Signature", "")
            signature_ok = hmac.compare_digest(expected, given)
            entry["signature_ok"] = signature_ok
        server.write_log(entry)

        if not signature_ok:
            self._answer(401)
        elif step == "hang":
            server.stopping.wait()
            self.close_connection = True
        elif step == "close":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        elif step.startswith("slow:"):
            if not server.stopping.wait(float(step[5:])):
                self._answer(200)
        else:
            self._answer(int(step))

    def _answer(self, status):
        text = f"{status}\n".encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)
        except OSError:
            pass  # the client gave up (timed out) first

    do_POST = _handle
    do_PUT = _handle
    do_GET = _handle


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, script, secret, log_path):
        super().__init__(address, Handler)
        self.script = script
        self.secret = secret
        self.log_path = log_path
        self.log_lock = threading.Lock()
        self.stopping = threading.Event()

    def write_log(self, entry):
        line = (json.dumps(entry, sort_keys=True) + "\n").encode()
        with self.log_lock:
            fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--script", default="200")
    parser.add_argument("--secret")
    parser.add_argument("--tls")
    args = parser.parse_args()
    try:
        script = Script(args.script)
    except ValueError as error:
        parser.error(f"--script: {error}")
    secret = args.secret.encode() if args.secret is not None else None

    server = Server(("127.0.0.1", args.port), script, secret, args.log)
    if args.tls:
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    open(args.log, "a").close()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{server.server_address[1]}\n")
    os.replace(tmp, args.port_file)

    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    while not done.wait(0.5):
        pass
    server.stopping.set()
    server.shutdown()
    thread.join()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
