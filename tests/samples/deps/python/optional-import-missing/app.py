from flask import Flask

try:
    import orjson as json_impl
except ModuleNotFoundError:
    import json as json_impl

app = Flask(__name__)


@app.get("/")
def index():
    return json_impl.dumps({"ok": True})
