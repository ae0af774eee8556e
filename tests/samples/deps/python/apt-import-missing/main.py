from fastapi import FastAPI
import httpx

app = FastAPI()


@app.get("/")
def root() -> dict:
    return {"status": httpx.get("https://example.com").status_code}
