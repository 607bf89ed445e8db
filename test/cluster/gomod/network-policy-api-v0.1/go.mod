// Pins the last sigs.k8s.io/network-policy-api release line with the legacy v1alpha1
// AdminNetworkPolicy and BaselineAdminNetworkPolicy CRDs. A second wrapper module,
// because one module can require only one version of network-policy-api.
// No Go code is built from it: crds.ts runs `go mod download -json` here (go.sum is
// the lock) and applies YAML files from the downloaded module.
// To bump: `GOFLAGS=-mod=mod go get sigs.k8s.io/network-policy-api@v0.1.N` here.
module netglass.invalid/test/cluster/network-policy-api-v0.1

go 1.25.0

require sigs.k8s.io/network-policy-api v0.1.1
