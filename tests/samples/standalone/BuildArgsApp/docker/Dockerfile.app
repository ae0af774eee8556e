ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE} AS app
ARG GREETING
ARG API_KEY
COPY . /ctx/
# The key's length only: the image shows the arg reached the build without keeping the key.
RUN echo "$GREETING" > /greeting.txt && printf '%s' "$API_KEY" | wc -c > /api-key-length.txt
CMD ["cat", "/greeting.txt"]

# Not built: fly.toml's build-target stops at the app stage.
FROM app AS debug
RUN echo debug > /debug.txt
