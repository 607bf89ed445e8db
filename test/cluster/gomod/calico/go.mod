// Pins the github.com/projectcalico/calico tree whose policy CRDs the test control plane
// installs (crd.projectcalico.org/v1 NetworkPolicy, GlobalNetworkPolicy, NetworkSet and
// GlobalNetworkSet: the storage form that Calico's own API server serves as
// projectcalico.org/v3). No Go code is built from it: crds.ts runs `go mod download -json`
// here (go.sum is the lock) and applies YAML files from the downloaded module.
// The Go module proxy reachable here serves no tagged version of this repository (its v3 tags
// lack a /v3 module path), only the pseudo-version `@latest` resolves to (a commit of
// 2025-08-13); github.com/projectcalico/api, where newer trees keep their CRDs, is refused.
// That tree predates Calico's open-source tiers: no Tier or staged-policy CRD, and its policy
// CRDs have no `tier` field (the server prunes it), so tiered policies are tested from manifests.
// To bump: `GOFLAGS=-mod=mod go mod download -json github.com/projectcalico/calico@<version>`
// here after editing the require line (not `go mod tidy`: nothing imports it).
module netglass.invalid/test/cluster/calico

go 1.25.0

require github.com/projectcalico/calico v1.11.0-cni-plugin.0.20250813170300-a0db560f0520
