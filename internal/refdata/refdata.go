// Package refdata loads the reference data that outside software (POT,
// scipy, scikit-learn, cvxopt) produced into tests/golden, for Go tests.
package refdata

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
)

// Load decodes tests/golden/<name>.json into v.
func Load(name string, v any) error {
	_, here, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "tests", "golden", name+".json"))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
