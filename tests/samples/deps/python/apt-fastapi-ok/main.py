import os

import yaml
from fastapi import FastAPI

app = FastAPI()
settings = yaml.safe_load(os.environ.get("APP_SETTINGS", "{}"))


@app.get("/")
def root() -> dict:
    return {"settings": settings}
