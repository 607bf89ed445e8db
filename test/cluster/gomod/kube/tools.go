//go:build tools

// Package tools pins the main packages we build, so `go mod tidy` keeps go.sum
// complete for them. It is never compiled.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
