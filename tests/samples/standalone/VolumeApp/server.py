"""Notes kept on the volume at /data: they must outlive every deploy and rollback of the app."""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NOTES = os.path.join(os.environ.get("DATA_DIR", "/data"), "notes.txt")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/healthz":
            self.reply(200, "ok")
        elif self.path == "/notes":
            try:
                with open(NOTES, encoding="utf-8") as f:
                    self.reply(200, f.read())
            except FileNotFoundError:
                self.reply(200, "")
        elif self.path == "/release":
            self.reply(200, os.environ.get("GREETING", "") + " " + os.environ.get("FLY_IMAGE_REF", ""))
        else:
            self.reply(404, "not found")

    def do_POST(self):
        if self.path != "/notes":
            self.reply(404, "not found")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
        with open(NOTES, "a", encoding="utf-8") as f:
            f.write(body + "\n")
        self.reply(201, body)

    def reply(self, status, text):
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    ThreadingHTTPServer(("0.0.0.0", 8080), Handler).serve_forever()
