//go:build tools

// Package k8s pins the Kubernetes and etcd programs that make up the local
// control plane. Nothing imports it; the blank imports keep the programs'
// packages in this module's graph so that `go build` can find them.
package k8s

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
