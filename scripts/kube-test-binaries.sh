#!/usr/bin/env bash
# Builds the real Kubernetes control plane the Kubernetes tests run against, once per machine:
# kube-apiserver and kube-controller-manager from Debian bookworm's `kubernetes` source package (1.20.2,
# every dependency vendored, built offline with Debian's Go), etcd from Debian's etcd-server, kubectl.
# They are laid out as io.fabric8:kube-api-test expects: $EBB_KUBE_DIR/k8s/1.20.2-linux-amd64/.
# Idempotent: a machine that has them already does nothing. Prints the directory to use as
# KUBE_API_TEST_DIR on its last line.
set -euo pipefail

version=1.20.2
root="${EBB_KUBE_DIR:-$HOME/.cache/ebb/kube}"
bin="$root/k8s/$version-linux-amd64"

if [[ -x "$bin/kube-apiserver" && -x "$bin/kube-controller-manager" && -x "$bin/etcd" && -x "$bin/kubectl" ]]; then
  echo "$root"
  exit 0
fi

log() { echo "kube-test-binaries: $*" >&2; }

# One build at a time per machine: a second caller (a parallel Maven run) waits for the first and then finds
# the binaries in place.
mkdir -p "$root"
exec 9> "$root/.lock"
if ! flock -n 9; then
  log "another build of the binaries is running; waiting for it"
  flock 9
fi
if [[ -x "$bin/kube-apiserver" && -x "$bin/kube-controller-manager" && -x "$bin/etcd" && -x "$bin/kubectl" ]]; then
  echo "$root"
  exit 0
fi
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

need=()
command -v go > /dev/null || need+=(golang-go)
[[ -x /usr/bin/etcd ]] || need+=(etcd-server)
command -v dpkg-source > /dev/null || need+=(dpkg-dev)
command -v make > /dev/null || need+=(make)
command -v rsync > /dev/null || need+=(rsync)
command -v kubectl > /dev/null || need+=(kubernetes-client)
# The source package comes from the same mirror as the machine's binary packages.
if ! grep -rqs '^Types: deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  log "adding a deb-src line for bookworm"
  printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm' 'Components: main' \
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' | as_root tee /etc/apt/sources.list.d/ebb-deb-src.sources > /dev/null
  refresh=yes
fi
if (( ${#need[@]} )) || [[ ${refresh:-} == yes ]]; then
  as_root apt-get update -q >&2
fi
if (( ${#need[@]} )); then
  log "installing ${need[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >&2
fi

work="$root/build"
mkdir -p "$work"
cd "$work"
if [[ ! -d src ]]; then
  log "fetching the kubernetes source package"
  rm -rf fetch && mkdir fetch
  (cd fetch && apt-get source --download-only kubernetes >&2 && dpkg-source -x --no-check ./*.dsc tree >&2)
  mkdir -p src/k8s.io
  mv fetch/tree src/k8s.io/kubernetes
  rm -rf fetch
fi

cd src/k8s.io/kubernetes
# providerless leaves out the in-tree cloud providers (AWS, Azure, GCE, OpenStack, vSphere SDKs), which the tests never
# use and which are a large part of what there is to compile.
export GOPROXY=off GOFLAGS="-mod=vendor -tags=providerless" GOCACHE="$root/go-cache"
export KUBE_GIT_VERSION="v$version" KUBE_GIT_TREE_STATE=clean
log "building kube-apiserver and kube-controller-manager (about 11 CPU-minutes the first time)"
if [[ ! -x _output/bin/kube-apiserver || ! -x _output/bin/kube-controller-manager ]]; then
  # Kubernetes' own build (hack/make-rules) lays out its GOPATH and uses the vendored tree; no network. At the lowest
  # priority: CI starts it in the background while the tests that need no Kubernetes run, which it must not slow down.
  # Of the generated sources only the OpenAPI definitions are missing from Debian's source package (the deep-copy,
  # defaulting and conversion code ships in it), so only openapi-gen runs: `make WHAT=...` would build and run every
  # generator over the whole tree first, 80 CPU-seconds more, for the same files.
  nice -n 19 make gen_openapi >&2
  nice -n 19 hack/make-rules/build.sh cmd/kube-apiserver cmd/kube-controller-manager >&2
fi

mkdir -p "$bin"
cp _output/bin/kube-apiserver _output/bin/kube-controller-manager "$bin/"
ln -sf /usr/bin/etcd "$bin/etcd"
ln -sf "$(command -v kubectl)" "$bin/kubectl"
log "ready in $bin"
echo "$root"
