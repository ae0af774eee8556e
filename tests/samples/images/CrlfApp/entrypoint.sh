#!/bin/sh
# Saved with CRLF line endings on purpose: the generated image must strip them.
set -e
export STARTED_BY=entrypoint.sh
exec dotnet CrlfApp.dll "$@"
