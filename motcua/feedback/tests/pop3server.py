"""A tiny POP3 server (RFC 1939 subset: USER, PASS, STAT, LIST, RETR, DELE, NOOP, RSET, QUIT) for tests."""

from __future__ import annotations

import socketserver
import threading


class Mailbox:
    def __init__(self, user: str, password: str, messages: list[bytes]):
        self.user, self.password = user, password
        self.messages = list(messages)
        self.lock = threading.Lock()


class Handler(socketserver.StreamRequestHandler):
    def send(self, line: str | bytes) -> None:
        data = line if isinstance(line, bytes) else line.encode()
        self.wfile.write(data + b"\r\n")

    def handle(self) -> None:
        box: Mailbox = self.server.mailbox  # type: ignore[attr-defined]
        self.send("+OK test POP3 ready")
        user, authed, deleted = None, False, set()
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            parts = raw.decode().strip().split(" ", 1)
            cmd, arg = parts[0].upper(), parts[1] if len(parts) > 1 else ""
            if cmd == "USER":
                user = arg
                self.send("+OK")
            elif cmd == "PASS":
                authed = user == box.user and arg == box.password
                self.send("+OK logged in" if authed else "-ERR invalid login")
            elif not authed and cmd != "QUIT":
                self.send("-ERR not authenticated")
            elif cmd == "STAT":
                live = [m for i, m in enumerate(box.messages) if i not in deleted]
                self.send(f"+OK {len(box.messages)} {sum(len(m) for m in live)}")
            elif cmd == "LIST":
                self.send("+OK")
                for i, m in enumerate(box.messages, start=1):
                    if i - 1 not in deleted:
                        self.send(f"{i} {len(m)}")
                self.send(".")
            elif cmd == "RETR":
                n = int(arg) - 1
                msg = box.messages[n]
                self.send(f"+OK {len(msg)} octets")
                for line in msg.split(b"\n"):
                    line = line.rstrip(b"\r")
                    self.send(b"." + line if line.startswith(b".") else line)
                self.send(".")
            elif cmd == "DELE":
                deleted.add(int(arg) - 1)
                self.send("+OK deleted")
            elif cmd in ("NOOP", "RSET"):
                if cmd == "RSET":
                    deleted.clear()
                self.send("+OK")
            elif cmd == "QUIT":
                with box.lock:
                    box.messages = [m for i, m in enumerate(box.messages) if i not in deleted]
                self.send("+OK bye")
                return
            else:
                self.send("-ERR unknown command")


class POP3Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, mailbox: Mailbox):
        super().__init__(("127.0.0.1", 0), Handler)
        self.mailbox = mailbox
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server_address
        return f"pop3://{self.mailbox.user}:{self.mailbox.password}@{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
