//go:build !js

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The module's gzip size budget is 1.0 MB, and the Go runtime alone takes
// 0.57 MB of it. These packages would each add tens to 160 kB for nothing a
// user needs (measured: fmt with os 160 kB, gonum's mat 140 kB on top of
// lapack64); keep them out of the wasm build.
func TestWasmLeavesOutHeavyPackages(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	if !deps["github.com/optwasm/optwasm/jsapi"] {
		t.Fatalf("go list found no jsapi among %d packages", len(deps))
	}
	for _, heavy := range []string{"fmt", "os", "encoding/json", "runtime/debug", "log", "gonum.org/v1/gonum/mat", "gonum.org/v1/gonum/optimize"} {
		if deps[heavy] {
			t.Errorf("the wasm module imports %s", heavy)
		}
	}
}
