#!/usr/bin/env bash
# Builds local stand-ins for the Docker Hub images that Python and Node apps start FROM, and pushes them to the local
# registry (build/registry.sh), so a standalone app's own Dockerfile builds with no Docker Hub access when the build
# maps docker.io to that registry (FlyRegistryMirror=docker.io=127.0.0.1:55000):
#   <registry>/library/debian:<suite>-slim   the Debian rootfs of build/images/base-images.sh (debootstrap minbase of
#                                            this machine's suite and mirror), CMD bash
#   <registry>/library/node:<major>-slim     + this machine's node, npm and corepack in /usr/local, user "node"
#                                            (uid 1000), as the official image has them
# Python apps install their packages with apt (python3-fastapi ...) on the debian image: apt-get works inside
# `buildah build --isolation chroot`, which shares the host's network and reaches the machine's Debian mirror.
# Certificate authorities this machine adds to Debian's (a proxy's CA, say) are trusted by both images, as the host
# trusts them; node reads them through NODE_EXTRA_CA_CERTS, as it does on the host.
# Cached: when the registry has every tag and the hash of (this script, node's version, the rootfs, the extra CAs) is
# unchanged, nothing is done. FLYIO_SCRIPT_IMAGES_FORCE=1 rebuilds. Prints the registry address on the last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${FLYIO_IMAGE_CACHE:-/var/cache/flyio-sdk}"
log() { echo "script-images: $*" >&2; }

if [ "$(id -u)" != 0 ]; then echo "error: script-images.sh needs root (buildah)" >&2; exit 1; fi

. /etc/os-release
suite="${VERSION_CODENAME:-bookworm}"
# base-images.sh makes the rootfs (and installs buildah); it is cached, so running it again costs nothing.
ls "$cache"/rootfs-"$suite"-*.tar >/dev/null 2>&1 || "$here/base-images.sh" >/dev/null
rootfs_tar="$(ls -t "$cache"/rootfs-"$suite"-*.tar | head -1)"

registry="$("$root/build/registry.sh" start | tail -1)"
password="$("$root/build/registry.sh" password)"
if [ -z "${STORAGE_DRIVER:-}" ] && ! buildah info >/dev/null 2>&1; then export STORAGE_DRIVER=vfs; fi

# The credentials reach buildah through an auth file (mode 600), never its command line.
authdir="$(mktemp -d)"
stage="$(mktemp -d)"
trap 'rm -rf "$authdir" "$stage"' EXIT
. "$here/registry-lib.sh"
write_auth_file "$authdir"

node_version="$(node --version 2>/dev/null | tr -d v || true)"
node_major="${node_version%%.*}"
node_root="$(dirname "$(dirname "$(readlink -f "$(command -v node 2>/dev/null || echo /usr/bin/node)")")")"
extra_cas="$(ls /usr/local/share/ca-certificates/*.crt 2>/dev/null || true)"
hash="$( { cat "${BASH_SOURCE[0]}"; [ -n "$extra_cas" ] && cat $extra_cas; echo "$rootfs_tar $node_version $(uname -m)"; } | sha256sum | cut -c1-16)"
stamp="$cache/script-images.$registry.stamp"
debian_tag="$suite-slim"

all_pushed() {
  has_tag library/debian "$debian_tag" && { [ -z "$node_major" ] || has_tag library/node "$node_major-slim"; }
}

if [ "${FLYIO_SCRIPT_IMAGES_FORCE:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && all_pushed; then
  log "up to date ($hash): $registry/library/debian:$debian_tag${node_major:+, $registry/library/node:$node_major-slim}"
  echo "$registry"
  exit 0
fi

commit_push() { # container, repository:tag
  buildah commit -q --rm "$1" "$registry/$2" >/dev/null
  buildah push -q --tls-verify=false "$registry/$2" "docker://$registry/$2" >/dev/null
  log "pushed $registry/$2"
}

start=$(date +%s)
c="$(buildah from -q scratch)"
buildah add -q "$c" "$rootfs_tar" / >/dev/null
if [ -n "$extra_cas" ]; then
  buildah copy -q "$c" $extra_cas /usr/local/share/ca-certificates/ >/dev/null
  buildah run --isolation chroot "$c" -- update-ca-certificates >/dev/null 2>&1
fi
buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd '["bash"]' --entrypoint '' \
  --label org.opencontainers.image.description="FlyIo.Sdk local stand-in for docker.io/library/debian:$debian_tag" "$c"
commit_push "$c" "library/debian:$debian_tag"

if [ -z "$node_major" ]; then
  log "node is not installed on this machine: no library/node image"
else
  c="$(buildah from -q --tls-verify=false "$registry/library/debian:$debian_tag")"
  mkdir -p "$stage/bin" "$stage/lib/node_modules"
  cp -a "$(readlink -f "$(command -v node)")" "$stage/bin/node"
  for module in npm corepack; do
    [ -d "$node_root/lib/node_modules/$module" ] && cp -a "$node_root/lib/node_modules/$module" "$stage/lib/node_modules/"
  done
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$stage/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$stage/bin/npx"
  [ -d "$stage/lib/node_modules/corepack" ] && ln -s ../lib/node_modules/corepack/dist/corepack.js "$stage/bin/corepack"
  buildah copy -q "$c" "$stage" /usr/local >/dev/null
  buildah run --isolation chroot "$c" -- sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  ca_env=()
  [ -n "$extra_cas" ] && ca_env=(--env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
  buildah config --env NODE_VERSION="$node_version" "${ca_env[@]}" --cmd '["node"]' \
    --label org.opencontainers.image.description="FlyIo.Sdk local stand-in for docker.io/library/node:$node_major-slim" "$c"
  commit_push "$c" "library/node:$node_major-slim"
fi

echo "$hash" > "$stamp"
log "done in $(( $(date +%s) - start )) s"
echo "$registry"
