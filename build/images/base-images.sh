#!/usr/bin/env bash
# Builds local stand-ins for Microsoft's .NET images and a tiny busybox image, and pushes them to the local registry
# (build/registry.sh), so FlyBaseImageRegistry=127.0.0.1:55000 replaces mcr.microsoft.com with no Docker Hub/MCR access:
#   <registry>/dotnet/runtime-deps:<major.minor>   Debian (debootstrap minbase) + ICU, tzdata, OpenSSL, CA certificates,
#                                                  user "app" (APP_UID=1654), ASPNETCORE_HTTP_PORTS=8080
#   <registry>/dotnet/runtime:<major.minor>        + dotnet host and shared/Microsoft.NETCore.App of this machine
#   <registry>/dotnet/aspnet:<major.minor>         + shared/Microsoft.AspNetCore.App
#   <registry>/dotnet/sdk:<major.minor>            + the rest of this machine's /usr/share/dotnet (the SDK)
#   <registry>/busybox:latest                      Debian's busybox-static alone
# Each image is built on the previous one, so they share layers. Built with buildah (chroot isolation, no daemon).
# Cached: when the registry already has every tag and the hash of (this script, the dotnet versions, the Debian suite
# and mirror) is unchanged, nothing is done. FLYIO_BASE_IMAGES_FORCE=1 rebuilds.
# Prints the registry address (e.g. 127.0.0.1:55000) on the last line of stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${FLYIO_IMAGE_CACHE:-/var/cache/flyio-sdk}"
dotnet_root="${DOTNET_ROOT:-/usr/share/dotnet}"
log() { echo "base-images: $*" >&2; }

if [ "$(id -u)" != 0 ]; then echo "error: base-images.sh needs root (debootstrap, buildah)" >&2; exit 1; fi

install_packages() {
  local missing=()
  command -v buildah >/dev/null 2>&1 || missing+=(buildah)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ -x /bin/busybox ] && /bin/busybox --help 2>&1 | head -1 | grep -q static 2>/dev/null || dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
}
install_packages

registry="$("$root/build/registry.sh" start | tail -1)"
password="$("$root/build/registry.sh" password)"

# overlay when the kernel and storage allow it, else vfs (slower, always works).
if [ -z "${STORAGE_DRIVER:-}" ] && ! buildah info >/dev/null 2>&1; then export STORAGE_DRIVER=vfs; fi

# The credentials reach buildah through an auth file (mode 600), never its command line.
authdir="$(mktemp -d)"
trap 'rm -rf "$authdir"' EXIT
. "$here/registry-lib.sh"
write_auth_file "$authdir"

newest() { ls "$1" | sort -V | tail -1; }
runtime_version="$(newest "$dotnet_root/shared/Microsoft.NETCore.App")"
aspnet_version="$(newest "$dotnet_root/shared/Microsoft.AspNetCore.App")"
sdk_version="$(newest "$dotnet_root/sdk")"
tag="$(echo "$runtime_version" | cut -d. -f1-2)"

. /etc/os-release
suite="${VERSION_CODENAME:-bookworm}"
mirror="$(grep -h -E '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 | awk '{print $2}' || true)"
if [ -z "$mirror" ]; then
  mirror="$(grep -h -E '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | grep -v security | head -1 | awk '{print $2}' || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"
packages="ca-certificates,libicu72,libssl3,tzdata,zlib1g,libstdc++6,libgcc-s1"

# Certificate authorities this machine adds to Debian's (a proxy's CA, say): the images trust them too, as the host does.
extra_cas="$(ls /usr/local/share/ca-certificates/*.crt 2>/dev/null || true)"
hash="$( { cat "${BASH_SOURCE[0]}"; [ -n "$extra_cas" ] && cat $extra_cas; echo "$runtime_version $aspnet_version $sdk_version $suite $mirror $packages $(uname -m)"; } | sha256sum | cut -c1-16)"
stamp="$cache/base-images.$registry.stamp"

all_pushed() {
  has_tag dotnet/runtime-deps "$tag" && has_tag dotnet/runtime "$tag" && has_tag dotnet/aspnet "$tag" &&
    has_tag dotnet/sdk "$tag" && has_tag busybox latest
}

if [ "${FLYIO_BASE_IMAGES_FORCE:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && all_pushed; then
  log "up to date ($hash): $registry/dotnet/{runtime-deps,runtime,aspnet,sdk}:$tag, $registry/busybox:latest"
  echo "$registry"
  exit 0
fi

start=$(date +%s)
mkdir -p "$cache"
# The plain Debian root file system, as debian:<suite>-slim has it (no user beyond Debian's own): the .NET images add
# theirs on top, so a Dockerfile FROM the debian stand-in can create its own "app" user as it would on Docker Hub's.
rootfs_tar="$cache/rootfs-$suite-$(echo "plain $mirror $packages $(uname -m)" | sha256sum | cut -c1-12).tar"
if [ ! -s "$rootfs_tar" ]; then
  log "debootstrap $suite from $mirror"
  work="$(mktemp -d "$cache/rootfs.XXXXXX")"
  debootstrap --variant=minbase --include="$packages" "$suite" "$work/rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 ||
    { tail -30 "$work/debootstrap.log" >&2; rm -rf "$work"; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/var/log/"*
  tar -C "$work/rootfs" -cf "$rootfs_tar.tmp" . && mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$work"
  # Older root file systems of this suite (other packages, or the .NET user baked in) are not used again.
  find "$cache" -maxdepth 1 -name "rootfs-$suite-*.tar" ! -path "$rootfs_tar" -delete
fi

commit_push() { # container, repository:tag
  buildah commit -q --rm "$1" "$registry/$2" >/dev/null
  buildah push -q --tls-verify=false "$registry/$2" "docker://$registry/$2" >/dev/null
  log "pushed $registry/$2"
}

log "building images for .NET $runtime_version (tag $tag)"
c="$(buildah from -q scratch)"
buildah add -q "$c" "$rootfs_tar" / >/dev/null
if [ -n "$extra_cas" ]; then
  buildah copy -q "$c" $extra_cas /usr/local/share/ca-certificates/ >/dev/null
  buildah run --isolation chroot "$c" -- update-ca-certificates >/dev/null 2>&1
fi
# The user the real .NET images define, as their Dockerfiles create it: app, uid/gid 1654 (APP_UID).
buildah run --isolation chroot "$c" -- sh -c 'groupadd --gid 1654 app && useradd --no-log-init --uid 1654 --gid 1654 --create-home app'
buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env APP_UID=1654 --env ASPNETCORE_HTTP_PORTS=8080 --env DOTNET_RUNNING_IN_CONTAINER=true \
  --label org.opencontainers.image.description="FlyIo.Sdk local stand-in for mcr.microsoft.com/dotnet/runtime-deps:$tag" \
  --cmd '' --entrypoint '' "$c"
commit_push "$c" "dotnet/runtime-deps:$tag"

c="$(buildah from -q --tls-verify=false "$registry/dotnet/runtime-deps:$tag")"
stage="$(mktemp -d)"
mkdir -p "$stage/dotnet/shared" "$stage/dotnet/host"
cp -a "$dotnet_root/dotnet" "$stage/dotnet/"
cp -a "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$stage/dotnet/" 2>/dev/null || true
cp -a "$dotnet_root/host/fxr" "$stage/dotnet/host/"
mkdir -p "$stage/dotnet/shared/Microsoft.NETCore.App"
cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$runtime_version" "$stage/dotnet/shared/Microsoft.NETCore.App/"
buildah copy -q "$c" "$stage/dotnet" /usr/share/dotnet >/dev/null
buildah run --isolation chroot "$c" -- ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
buildah config --env DOTNET_VERSION="$runtime_version" \
  --label org.opencontainers.image.description="FlyIo.Sdk local stand-in for mcr.microsoft.com/dotnet/runtime:$tag" "$c"
commit_push "$c" "dotnet/runtime:$tag"
rm -rf "$stage"

c="$(buildah from -q --tls-verify=false "$registry/dotnet/runtime:$tag")"
buildah copy -q "$c" "$dotnet_root/shared/Microsoft.AspNetCore.App/$aspnet_version" \
  "/usr/share/dotnet/shared/Microsoft.AspNetCore.App/$aspnet_version" >/dev/null
buildah config --env ASPNET_VERSION="$aspnet_version" \
  --label org.opencontainers.image.description="FlyIo.Sdk local stand-in for mcr.microsoft.com/dotnet/aspnet:$tag" "$c"
commit_push "$c" "dotnet/aspnet:$tag"

c="$(buildah from -q --tls-verify=false "$registry/dotnet/aspnet:$tag")"
stage="$(mktemp -d)"
mkdir -p "$stage/dotnet"
for entry in "$dotnet_root"/*; do
  name="$(basename "$entry")"
  case "$name" in dotnet|shared|host|LICENSE.txt|ThirdPartyNotices.txt) ;; *) cp -a "$entry" "$stage/dotnet/" ;; esac
done
buildah copy -q "$c" "$stage/dotnet" /usr/share/dotnet >/dev/null
rm -rf "$stage"
# NUGET_CERT_REVOCATION_MODE=offline: this machine's network reaches the NuGet feed but not certificate revocation
# servers (the host sets the same); the real sdk image does not need it.
buildah config --env DOTNET_SDK_VERSION="$sdk_version" --env DOTNET_GENERATE_ASPNET_CERTIFICATE=false \
  --env DOTNET_NOLOGO=true --env DOTNET_CLI_TELEMETRY_OPTOUT=1 --env DOTNET_USE_POLLING_FILE_WATCHER=true \
  --env NUGET_XMLDOC_MODE=skip --env NUGET_CERT_REVOCATION_MODE=offline \
  --label org.opencontainers.image.description="FlyIo.Sdk local stand-in for mcr.microsoft.com/dotnet/sdk:$tag" "$c"
commit_push "$c" "dotnet/sdk:$tag"

c="$(buildah from -q scratch)"
stage="$(mktemp -d)"
mkdir -p "$stage/bin"
cp /bin/busybox "$stage/bin/busybox"
for app in sh ls cat echo sleep wget env id ps; do ln -s busybox "$stage/bin/$app"; done
buildah copy -q "$c" "$stage/bin" /bin >/dev/null
rm -rf "$stage"
buildah config --env PATH=/bin --cmd '["/bin/sh"]' \
  --label org.opencontainers.image.description="FlyIo.Sdk test image: Debian busybox-static" "$c"
commit_push "$c" "busybox:latest"

echo "$hash" > "$stamp"
log "done in $(( $(date +%s) - start )) s"
echo "$registry"
