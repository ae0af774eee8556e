import os

from fastapi import FastAPI
from pydantic import BaseModel
from openai import OpenAI

app = FastAPI()
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])


class Prompt(BaseModel):
    text: str


@app.post("/complete")
def complete(prompt: Prompt) -> dict:
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt.text}])
    return {"reply": reply.choices[0].message.content}
