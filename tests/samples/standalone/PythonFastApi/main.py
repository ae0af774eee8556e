import os

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def root() -> str:
    return f"Hello from {os.environ.get('FLY_APP_NAME', 'a FastAPI app')} on FastAPI"


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}
