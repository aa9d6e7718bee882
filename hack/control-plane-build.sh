#!/usr/bin/env bash
# Builds the local control plane (kube-apiserver, etcd and kubectl) from Go
# modules into bin/k8s/<version>-linux-amd64, the layout envtest expects in
# KUBEBUILDER_ASSETS. Nothing is downloaded except Go modules, and nothing is
# rebuilt when the binaries are already there.
#
# Usage: hack/control-plane-build.sh        prints the assets directory last
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
k8s_version=${K8S_VERSION:-1.37.2}
goos=$(go env GOOS)
goarch=$(go env GOARCH)
assets="${root}/bin/k8s/${k8s_version}-${goos}-${goarch}"

if [[ -x "${assets}/kube-apiserver" && -x "${assets}/etcd" && -x "${assets}/kubectl" ]]; then
  echo "${assets}"
  exit 0
fi

say() { echo "control-plane: $*" >&2; }

say "building kube-apiserver, etcd and kubectl ${k8s_version} from Go modules into ${assets#"${root}"/}"
say "the first build takes about 5 to 10 minutes on 2 cores; later runs reuse it"
mkdir -p "${assets}"

pkg=k8s.io/component-base/version
client_pkg=k8s.io/client-go/pkg/version
minor=$(cut -d. -f2 <<<"${k8s_version}")
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
version_flags=""
for p in "${pkg}" "${client_pkg}"; do
  version_flags+=" -X '${p}.gitVersion=v${k8s_version}'"
  version_flags+=" -X '${p}.gitMajor=1' -X '${p}.gitMinor=${minor}'"
  version_flags+=" -X '${p}.gitTreeState=clean' -X '${p}.buildDate=${build_date}'"
done

cd "${root}/hack/k8s"
# Build into a temporary name and rename, so that an interrupted build never
# leaves a half-written binary that a later run would mistake for a good one.
build() {
  local out=$1 target=$2 flags=$3
  if [[ -x "${assets}/${out}" ]]; then
    return
  fi
  say "building ${out}"
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w ${flags}" \
    -o "${assets}/.${out}.tmp" "${target}"
  mv "${assets}/.${out}.tmp" "${assets}/${out}"
}
build kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "${version_flags}"
build etcd go.etcd.io/etcd/server/v3 ""
build kubectl k8s.io/kubernetes/cmd/kubectl "${version_flags}"

say "done: ${assets}"
echo "${assets}"
