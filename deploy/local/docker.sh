#!/usr/bin/env bash
# A Docker engine and the images the tests and docker-compose.yml use, on a Debian machine. Source it, then call:
#   pipeline_docker_up       install the engine if none answers (Debian trixie's docker.io and docker-compose,
#                            pinned low beside the machine's own release), start dockerd as a plain process,
#                            and make sure every image below exists: pulled where a registry answers, else built
#                            as a stand-in from Debian packages (deploy/airgap/)
# Sourcing it sets no shell options. Images: PIPELINE_IMAGES lists what is needed; a machine with a registry
# pulls the real ones and never builds a stand-in.

PIPELINE_IMAGES=(
  "debian:bookworm-slim"
  "mcr.microsoft.com/dotnet/aspnet:10.0"
  "mcr.microsoft.com/dotnet/sdk:10.0"
  "rabbitmq:3.13-management"
  "postgres:16"
  "prom/prometheus:v2.53.3"
)

_pipeline_sudo() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The machine's Debian mirror, from its apt sources (deb822 or one-line format).
_pipeline_debian_mirror() {
  local uri
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n 1)
  [ -n "$uri" ] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n 1)
  echo "${uri:-http://deb.debian.org/debian}"
}

# Testcontainers 4 needs Docker API 1.44; Debian bookworm's docker.io speaks 1.41, trixie's 1.45.
pipeline_docker_api_ok() {
  local api
  api=$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null) || return 1
  dpkg --compare-versions "$api" ge 1.44
}

pipeline_docker_install() {
  local missing=()
  # An engine of one's own (Docker's docker-ce, say) that answers with API 1.44 or later counts as installed.
  pipeline_docker_api_ok \
    || dpkg --compare-versions "$(dpkg-query -W -f '${Version}' docker.io 2>/dev/null || echo 0)" ge 25 \
    || missing+=(docker.io)
  docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "installing: ${missing[*]} from Debian trixie (pinned low)"
  local mirror
  mirror=$(_pipeline_debian_mirror)
  _pipeline_sudo tee /etc/apt/sources.list.d/pipeline-trixie.sources >/dev/null <<SOURCES
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  _pipeline_sudo tee /etc/apt/preferences.d/pipeline-trixie >/dev/null <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
  _pipeline_sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive _pipeline_sudo apt-get install -y -qq -t trixie "${missing[@]}" >/dev/null
}

pipeline_docker_start() {
  docker info >/dev/null 2>&1 && return 0
  echo "starting dockerd"
  _pipeline_sudo sh -c 'nohup dockerd >/var/log/pipeline-dockerd.log 2>&1 &'
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "dockerd did not start; see /var/log/pipeline-dockerd.log" >&2
  return 1
}

# Builds the stand-in for one image tag (deploy/airgap/). The .NET images take the host's own SDK.
_pipeline_build_standin() {
  local image=$1 airgap context
  airgap=$(cd "$(dirname "${BASH_SOURCE[0]}")/../airgap" && pwd)
  context=$(mktemp -d /tmp/pipeline-standin.XXXXXX)
  case "$image" in
    debian:bookworm-slim)
      _pipeline_sudo debootstrap --variant=minbase bookworm "$context/rootfs" "$(_pipeline_debian_mirror)" >"$context/debootstrap.log" \
        || { cat "$context/debootstrap.log" >&2; return 1; }
      _pipeline_sudo tar -C "$context/rootfs" -c . | docker import -c 'CMD ["bash"]' - "$image" >/dev/null
      ;;
    mcr.microsoft.com/dotnet/aspnet:*)
      mkdir -p "$context/dotnet"
      cp -a "$(_pipeline_dotnet_root)"/{dotnet,LICENSE.txt,host,shared} "$context/dotnet/"
      docker build -q -t "$image" -f "$airgap/dotnet/aspnet.Dockerfile" "$context" >/dev/null
      ;;
    mcr.microsoft.com/dotnet/sdk:*)
      cp -a "$(_pipeline_dotnet_root)" "$context/dotnet"
      cp /etc/ssl/certs/ca-certificates.crt "$context/"
      docker build -q -t "$image" --build-arg RUNTIME_IMAGE="${image/sdk/aspnet}" -f "$airgap/dotnet/sdk.Dockerfile" "$context" >/dev/null
      ;;
    rabbitmq:*) docker build -q -t "$image" "$airgap/rabbitmq" >/dev/null ;;
    postgres:*) docker build -q -t "$image" "$airgap/postgres" >/dev/null ;;
    prom/prometheus:*) docker build -q -t "$image" "$airgap/prometheus" >/dev/null ;;
    *) echo "no stand-in for $image" >&2; return 1 ;;
  esac
  local status=$?
  _pipeline_sudo rm -rf "$context"
  return $status
}

_pipeline_dotnet_root() { dirname "$(readlink -f "$(command -v dotnet)")"; }

_pipeline_image() {
  local image=$1
  docker image inspect "$image" >/dev/null 2>&1 && return 0
  if timeout 60 docker pull -q "$image" >/dev/null 2>&1; then
    echo "pulled $image"
  else
    echo "no registry answers for $image: building a stand-in from Debian packages"
    _pipeline_build_standin "$image"
  fi
}

# The base and the ASP.NET images first (the other stand-ins build on them), then the others at once: their
# time is mostly downloads.
pipeline_docker_images() {
  local image pids=() status=0
  for image in "${PIPELINE_IMAGES[@]:0:2}"; do
    _pipeline_image "$image" || return 1
  done
  for image in "${PIPELINE_IMAGES[@]:2}"; do
    _pipeline_image "$image" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || status=1
  done
  return $status
}

# Whether the broker's build can download the delayed-message-exchange plugin (deploy/rabbitmq/Dockerfile).
pipeline_delayed_exchange_reachable() {
  local dockerfile version url
  dockerfile=$(dirname "${BASH_SOURCE[0]}")/../rabbitmq/Dockerfile
  version=$(sed -n 's/^ARG DELAYED_EXCHANGE_VERSION=//p' "$dockerfile")
  url=$(sed -n 's/^ADD \(https:[^ ]*\) .*/\1/p' "$dockerfile" | sed "s/\${DELAYED_EXCHANGE_VERSION}/$version/g")
  curl -fsSL --max-time 15 -o /dev/null "$url" 2>/dev/null
}

pipeline_docker_up() {
  pipeline_docker_install && pipeline_docker_start && pipeline_docker_images
}
