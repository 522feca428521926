#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A misbehaving HTTP server for tests/t1510-collect-net-faults.sh.

Listens on 127.0.0.1:PORT and 127.0.0.2:PORT (the same port).  On
127.0.0.1 the first segment of the request path picks the fault:

  /silent/...    accepts, reads the request, never answers
  /stall/...     sends the status line, the headers and 10 bytes of a
                 100000-byte body, then nothing
  /big/...       a 200 whose JSON body is --big bytes (default 4 MiB)
  /gzip/...      a 200 with Content-Encoding: gzip and a body that is not
  /redirect/...  a 302 to the same path on http://127.0.0.2:PORT/landing/
  /ok/...        a 200 with {} (to check that the server works)

127.0.0.2 is "another host": every request it receives is written, with
its headers, to --other-log, and answered 200 {}.  Every request on
127.0.0.1 is logged (request line and headers) to --log.
"""
import argparse
import os
import socket
import threading
import time


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
    return data.split(b"\r\n\r\n", 1)[0].decode("latin-1")


def log(path, lock, text):
    with lock:
        with open(path, "a") as f:
            f.write(text + "\n\n")


def reply(conn, status, headers, body):
    head = "HTTP/1.1 %s\r\n" % status
    for k, v in headers:
        head += "%s: %s\r\n" % (k, v)
    conn.sendall(head.encode() + b"\r\n" + body)


def serve_main(conn, args, port, lock):
    head = read_head(conn)
    if head is None:
        return
    log(args.log, lock, head)
    path = head.split(" ")[1] if " " in head else "/"
    mode = path.split("/")[1] if path.count("/") >= 1 else ""
    if mode == "silent":
        time.sleep(3600)
    elif mode == "stall":
        reply(conn, "200 OK", [("Content-Type", "application/json"),
                               ("Content-Length", "100000")], b'{"items": ')
        time.sleep(3600)
    elif mode == "big":
        body = b'{"pad": "' + b"x" * args.big + b'"}'
        reply(conn, "200 OK", [("Content-Type", "application/json"),
                               ("Content-Length", str(len(body)))], body)
    elif mode == "gzip":
        body = b"this is not gzip at all, not even close" * 10
        reply(conn, "200 OK", [("Content-Type", "application/json"),
                               ("Content-Encoding", "gzip"),
                               ("Content-Length", str(len(body)))], body)
    elif mode == "redirect":
        rest = path.split("/", 2)[2] if path.count("/") >= 2 else ""
        loc = "http://127.0.0.2:%d/landing/%s" % (port, rest)
        reply(conn, "302 Found", [("Location", loc),
                                  ("Content-Length", "0")], b"")
    else:
        reply(conn, "200 OK", [("Content-Type", "application/json"),
                               ("Content-Length", "2")], b"{}")


def serve_other(conn, args, lock):
    head = read_head(conn)
    if head is None:
        return
    log(args.other_log, lock, head)
    reply(conn, "200 OK", [("Content-Type", "application/json"),
                           ("Content-Length", "2")], b"{}")


def accept_loop(sock, handler):
    while True:
        conn, _ = sock.accept()

        def run(c=conn):
            try:
                handler(c)
            except OSError:
                pass
            finally:
                c.close()
        threading.Thread(target=run, daemon=True).start()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--other-log", required=True)
    ap.add_argument("--big", type=int, default=4 << 20)
    args = ap.parse_args()
    lock = threading.Lock()
    for _ in range(20):
        main_sock = socket.socket()
        main_sock.bind(("127.0.0.1", 0))
        port = main_sock.getsockname()[1]
        other = socket.socket()
        try:
            other.bind(("127.0.0.2", port))
            break
        except OSError:
            main_sock.close()
            other.close()
    else:
        raise SystemExit("netfault: no port free on both addresses")
    main_sock.listen(16)
    other.listen(16)
    for path in (args.log, args.other_log):
        open(path, "w").close()
    threading.Thread(target=accept_loop, daemon=True,
                     args=(other, lambda c: serve_other(c, args, lock))
                     ).start()
    with open(args.port_file + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(args.port_file + ".tmp", args.port_file)
    accept_loop(main_sock, lambda c: serve_main(c, args, port, lock))


if __name__ == "__main__":
    main()
