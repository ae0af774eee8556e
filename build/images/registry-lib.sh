# Sourced by the image scripts in this folder; expects $registry and $password to be set.

# write_auth_file DIR: buildah's credentials for the local registry in DIR/auth.json (mode 600), exported as
# REGISTRY_AUTH_FILE, so the password never reaches a command line.
write_auth_file() {
  export REGISTRY_AUTH_FILE="$1/auth.json"
  (umask 077; printf '{"auths":{"%s":{"auth":"%s"}}}' "$registry" "$(printf 'x:%s' "$password" | base64 -w0)" > "$REGISTRY_AUTH_FILE")
}

# has_tag REPOSITORY TAG: whether the local registry already serves that manifest. The credentials reach curl as
# a config on its stdin (-K -), never on its command line.
has_tag() {
  local code
  code="$(printf 'user = "x:%s"\n' "$password" | curl -s -o /dev/null -w '%{http_code}' -K - \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
    "http://$registry/v2/$1/manifests/$2")"
  [ "$code" = 200 ]
}
