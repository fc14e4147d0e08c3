// Command benchnative runs an optwasm solver natively, for the benchmarks
// that compare the wasm module with native Go on the same input. It reads
// {"fn": "<JS function name>", "input": {...}, "repeat": n} as JSON on stdin,
// decodes the input with the same structs the wasm bridge uses (package api),
// runs the solve n times and prints {"elapsedMs": [...], "result": {...}}.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/optwasm/optwasm/api"
	"github.com/optwasm/optwasm/core/solver"
)

// runner decodes raw JSON input and returns a function that solves it once.
type runner func(raw json.RawMessage) (func() (any, error), error)

var runners = map[string]runner{}

// bind adapts an api entry point to a runner, as jsapi's bind does for JS.
func bind[In, Out any](defaults func() In, solve func(*In, *solver.Control) (Out, error)) runner {
	return func(raw json.RawMessage) (func() (any, error), error) {
		in := defaults()
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return nil, err
		}
		return func() (any, error) { return solve(&in, &solver.Control{}) }, nil
	}
}

func init() { runners["sparseSimplexProjection"] = bind(api.NewProjectionInput, api.Projection) }

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchnative:", err)
		os.Exit(1)
	}
}

func run(r io.Reader, w io.Writer) error {
	var job struct {
		Fn     string          `json:"fn"`
		Input  json.RawMessage `json:"input"`
		Repeat int             `json:"repeat"`
	}
	if err := json.NewDecoder(r).Decode(&job); err != nil {
		return err
	}
	mk, ok := runners[job.Fn]
	if !ok {
		return fmt.Errorf("unknown function %q", job.Fn)
	}
	solve, err := mk(job.Input)
	if err != nil {
		return err
	}
	var out struct {
		ElapsedMs []float64 `json:"elapsedMs"`
		Result    any       `json:"result"`
	}
	for i := 0; i < max(job.Repeat, 1); i++ {
		start := time.Now()
		res, err := solve()
		if err != nil {
			return err
		}
		out.ElapsedMs = append(out.ElapsedMs, float64(time.Since(start).Microseconds())/1000)
		out.Result = res
	}
	enc := json.NewEncoder(w)
	if err := enc.Encode(out); err != nil { // NaN or Inf in a result: report times only
		out.Result = nil
		return enc.Encode(out)
	}
	return nil
}
