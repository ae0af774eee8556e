import json
import logging

try:
    import ujson as fastjson
except ImportError:  # pragma: no cover
    fastjson = json

import yaml
from fastapi import Depends, FastAPI
from jose import jwt
from openai import OpenAI

from app.db import SessionLocal
from . import models

log = logging.getLogger(__name__)
app = FastAPI()
# A comment that says: import requests
NOTE = """
import numpy
from pandas import DataFrame
"""


def session():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok", "config": yaml.safe_dump({"a": 1}), "sample": f"{'import torch'}"}


@app.get("/token")
def token() -> dict:
    return {"token": jwt.encode({"sub": "me"}, "secret", algorithm="HS256")}


def ask(question: str) -> str:
    client = OpenAI()
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}])
    return fastjson.dumps(reply.choices[0].message.content)
