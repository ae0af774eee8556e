"""Engine and session. Fly gives postgres://..., SQLAlchemy wants postgresql+psycopg://..."""
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from .settings import settings


def _url(raw: str) -> str:
    if raw.startswith("postgres://"):
        return raw.replace("postgres://", "postgresql+psycopg://", 1)
    return raw


engine = create_engine(_url(settings.database_url), pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine)
