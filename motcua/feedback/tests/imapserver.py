"""A tiny IMAP4rev1 server (CAPABILITY, LOGIN, SELECT, SEARCH UNSEEN, FETCH RFC822, STORE, EXPUNGE, LOGOUT)."""

from __future__ import annotations

import re
import socketserver
import threading


class Folder:
    def __init__(self, user: str, password: str, messages: list[bytes]):
        self.user, self.password = user, password
        self.messages = [{"body": m, "seen": False, "deleted": False} for m in messages]


class Handler(socketserver.StreamRequestHandler):
    def send(self, line: str | bytes) -> None:
        self.wfile.write((line if isinstance(line, bytes) else line.encode()) + b"\r\n")

    def handle(self) -> None:
        folder: Folder = self.server.folder  # type: ignore[attr-defined]
        self.send("* OK test IMAP4rev1 ready")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            tag, _sp, rest = raw.decode().strip().partition(" ")
            cmd, _sp, arg = rest.partition(" ")
            cmd = cmd.upper()
            if cmd == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1")
                self.send(f"{tag} OK CAPABILITY completed")
            elif cmd == "LOGIN":
                user, password = [a.strip('"') for a in arg.split(" ", 1)]
                ok = (user, password) == (folder.user, folder.password)
                self.send(f"{tag} OK LOGIN completed" if ok else f"{tag} NO LOGIN failed")
            elif cmd == "SELECT":
                self.send(f"* {len(folder.messages)} EXISTS")
                self.send(f"{tag} OK [READ-WRITE] SELECT completed")
            elif cmd == "SEARCH":
                ids = [str(i) for i, m in enumerate(folder.messages, 1) if not m["seen"] and not m["deleted"]]
                self.send("* SEARCH" + ("" if not ids else " " + " ".join(ids)))
                self.send(f"{tag} OK SEARCH completed")
            elif cmd == "FETCH":
                num = int(arg.split(" ", 1)[0])
                message = folder.messages[num - 1]
                message["seen"] = True
                body = message["body"]
                self.wfile.write(f"* {num} FETCH (RFC822 {{{len(body)}}}\r\n".encode() + body + b")\r\n")
                self.send(f"{tag} OK FETCH completed")
            elif cmd == "STORE":
                num = int(arg.split(" ", 1)[0])
                if re.search(r"\\Deleted", arg):
                    folder.messages[num - 1]["deleted"] = True
                self.send(f"{tag} OK STORE completed")
            elif cmd == "EXPUNGE":
                folder.messages = [m for m in folder.messages if not m["deleted"]]
                self.send(f"{tag} OK EXPUNGE completed")
            elif cmd == "LOGOUT":
                self.send("* BYE")
                self.send(f"{tag} OK LOGOUT completed")
                return
            else:
                self.send(f"{tag} BAD unknown command")


class IMAPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, folder: Folder):
        super().__init__(("127.0.0.1", 0), Handler)
        self.folder = folder
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server_address
        return f"imap://{self.folder.user}:{self.folder.password}@{host}:{port}/INBOX"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
