// Pins the github.com/cilium/cilium release whose CRDs the test control plane installs
// (cilium.io/v2 CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy). No Go code is
// built from it: crds.ts runs `go mod download -json` here (go.sum is the lock) and
// applies YAML files from the downloaded module. The module zip is large (the whole
// Cilium source tree); it is downloaded once into the Go module cache.
// To bump: `GOFLAGS=-mod=mod go mod download -json github.com/cilium/cilium@vX.Y.Z` here
// after editing the require line (not `go mod tidy`: with no Go file importing it, tidy
// would drop the requirement).
module netglass.invalid/test/cluster/cilium

go 1.25.0

require github.com/cilium/cilium v1.20.2
