from fastapi import FastAPI
from rich.logging import RichHandler

app = FastAPI()
