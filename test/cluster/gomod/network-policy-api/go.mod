// Pins the sigs.k8s.io/network-policy-api release whose CRDs the test control plane
// installs (ClusterNetworkPolicy, experimental channel: v1alpha2 and v1beta1).
// No Go code is built from it: crds.ts runs `go mod download -json` here (go.sum is
// the lock) and applies YAML files from the downloaded module.
// To bump: `GOFLAGS=-mod=mod go get sigs.k8s.io/network-policy-api@vX.Y.Z` here
// (not `go mod tidy`: with no Go file importing it, tidy would drop the requirement).
module netglass.invalid/test/cluster/network-policy-api

go 1.25.0

require sigs.k8s.io/network-policy-api v0.3.0
