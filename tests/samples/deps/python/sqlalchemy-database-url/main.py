import os

from fastapi import FastAPI
from sqlalchemy import create_engine, text

DATABASE_URL = os.getenv("DATABASE_URL", "postgresql+psycopg://localhost/app")
engine = create_engine(DATABASE_URL)
app = FastAPI()


@app.get("/healthz")
def healthz() -> dict:
    with engine.connect() as connection:
        connection.execute(text("select 1"))
    return {"status": "ok"}
