from fastapi import FastAPI


def issue(sub: str) -> str:
    import jwt  # imported lazily: still needed at run time
    return jwt.encode({"sub": sub}, "k")


app = FastAPI()
