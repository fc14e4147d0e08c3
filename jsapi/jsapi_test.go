//go:build js && wasm

package jsapi

import (
	"errors"
	"math"
	"syscall/js"
	"testing"
	"time"

	"github.com/optwasm/optwasm/api"
	"github.com/optwasm/optwasm/core/solver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type inner struct {
	Eps  float64 `js:"epsilon,required"`
	Norm string  `js:"norm"`
}

type sample struct {
	A      []float64  `js:"a"`
	Labels []int32    `js:"labels"`
	Idx    []int      `js:"idx"`
	K      int        `js:"k,required"`
	Gamma  float64    `js:"gamma"`
	Flag   bool       `js:"flag"`
	Method string     `js:"method"`
	C      api.Matrix `js:"cost"`
	Adv    *inner     `js:"adversarial"`
	Nested inner      `js:"nested"`
	Raw    js.Value   `js:"raw"`
}

// eval builds a JS value from a JS expression, so tests read like JS.
func eval(t *testing.T, expr string) js.Value {
	t.Helper()
	return js.Global().Get("Function").New("return (" + expr + ");").Invoke()
}

func inputErr(t *testing.T, err error) *solver.InputError {
	t.Helper()
	var ie *solver.InputError
	require.True(t, errors.As(err, &ie), "want an InputError, got %v", err)
	return ie
}

func TestDecodeTypedArraysAndNested(t *testing.T) {
	v := eval(t, `{a: new Float64Array([1.5, -2, 3e300]), labels: new Int32Array([0, 4, -1]),
		idx: [3, 1], k: 2, gamma: 0.25, flag: true, method: "dual",
		cost: [[1, 2, 3], new Float64Array([4, 5, 6])],
		adversarial: {epsilon: 0.1, norm: "linf"}, nested: {epsilon: 2}, raw: {x: 1}}`)
	s := sample{Gamma: 9, Method: "semidual"}
	require.NoError(t, Decode(v, &s))
	assert.Equal(t, []float64{1.5, -2, 3e300}, s.A)
	assert.Equal(t, []int32{0, 4, -1}, s.Labels)
	assert.Equal(t, []int{3, 1}, s.Idx)
	assert.Equal(t, 2, s.K)
	assert.Equal(t, 0.25, s.Gamma)
	assert.True(t, s.Flag)
	assert.Equal(t, "dual", s.Method)
	assert.Equal(t, api.Matrix{Data: []float64{1, 2, 3, 4, 5, 6}, Rows: 2, Cols: 3}, s.C)
	require.NotNil(t, s.Adv)
	assert.Equal(t, inner{Eps: 0.1, Norm: "linf"}, *s.Adv)
	assert.Equal(t, 2.0, s.Nested.Eps)
	assert.Equal(t, 1, s.Raw.Get("x").Int())
}

func TestDecodeDefaultsAndOptional(t *testing.T) {
	s := sample{Gamma: 9, Method: "semidual"}
	require.NoError(t, Decode(eval(t, `{k: 1, gamma: undefined, method: null, nested: {epsilon: 1}}`), &s))
	assert.Equal(t, 9.0, s.Gamma)
	assert.Equal(t, "semidual", s.Method)
	assert.Nil(t, s.Adv)
	assert.False(t, s.C.Present())
}

func TestDecodeSubarrayAndOtherTypedArrays(t *testing.T) {
	// A view at an offset into a larger buffer, and a Float32Array.
	var s sample
	require.NoError(t, Decode(eval(t, `{k: 1, nested: {epsilon: 1},
		a: new Float64Array([9, 8, 7, 6]).subarray(1, 3), cost: new Float32Array([0.5, 1.5])}`), &s))
	assert.Equal(t, []float64{8, 7}, s.A)
	assert.Equal(t, []float64{0.5, 1.5}, s.C.Data)
	require.NoError(t, s.C.Shape("cost", 1, 0))
	assert.Equal(t, 2, s.C.Cols)
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		expr, field, code string
		kind              solver.ErrorKind
	}{
		{`null`, "input", solver.CodeType, solver.TypeErr},
		{`"str"`, "input", solver.CodeType, solver.TypeErr},
		{`[1, 2]`, "input", solver.CodeType, solver.TypeErr},
		{`{nested: {epsilon: 1}}`, "k", solver.CodeMissing, solver.TypeErr},
		{`{k: 1, nested: {}}`, "nested.epsilon", solver.CodeMissing, solver.TypeErr},
		{`{k: 1, nested: {epsilon: 1}, bogus: 3}`, "bogus", solver.CodeOption, solver.TypeErr},
		{`{k: 1, nested: {epsilon: 1, extra: 1}}`, "nested.extra", solver.CodeOption, solver.TypeErr},
		{`{k: "2", nested: {epsilon: 1}}`, "k", solver.CodeType, solver.TypeErr},
		{`{k: 1.5, nested: {epsilon: 1}}`, "k", solver.CodeDomain, solver.RangeErr},
		{`{k: NaN, nested: {epsilon: 1}}`, "k", solver.CodeNotFinite, solver.RangeErr},
		{`{k: 1, gamma: Infinity, nested: {epsilon: 1}}`, "gamma", solver.CodeNotFinite, solver.RangeErr},
		{`{k: 1, flag: 1, nested: {epsilon: 1}}`, "flag", solver.CodeType, solver.TypeErr},
		{`{k: 1, method: 3, nested: {epsilon: 1}}`, "method", solver.CodeType, solver.TypeErr},
		{`{k: 1, a: [1, "2"], nested: {epsilon: 1}}`, "a", solver.CodeType, solver.TypeErr},
		{`{k: 1, a: "12", nested: {epsilon: 1}}`, "a", solver.CodeType, solver.TypeErr},
		{`{k: 1, a: new BigInt64Array(2), nested: {epsilon: 1}}`, "a", solver.CodeType, solver.TypeErr},
		{`{k: 1, idx: [1, 2.5], nested: {epsilon: 1}}`, "idx", solver.CodeDomain, solver.RangeErr},
		{`{k: 1, labels: [3e10], nested: {epsilon: 1}}`, "labels", solver.CodeDomain, solver.RangeErr},
		{`{k: 1, cost: [[1, 2], [3]], nested: {epsilon: 1}}`, "cost", solver.CodeShape, solver.TypeErr},
		{`{k: 1, cost: [[1, 2], "ab"], nested: {epsilon: 1}}`, "cost", solver.CodeType, solver.TypeErr},
		{`{k: 1, cost: {}, nested: {epsilon: 1}}`, "cost", solver.CodeType, solver.TypeErr},
		{`{k: 1, nested: 5}`, "nested", solver.CodeType, solver.TypeErr},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			var s sample
			ie := inputErr(t, Decode(eval(t, c.expr), &s))
			assert.Equal(t, c.field, ie.Field, ie.Error())
			assert.Equal(t, c.code, ie.Code, ie.Error())
			assert.Equal(t, c.kind, ie.Kind, ie.Error())
		})
	}
}

type encoded struct {
	X     []float64 `js:"x"`
	S     []int32   `js:"support"`
	N     int       `js:"n"`
	Name  string    `js:"status"`
	Opt   *inner    `js:"opt,omitempty"`
	Inner inner     `js:"inner"`
	List  []inner   `js:"list"`
}

func TestEncode(t *testing.T) {
	v := Encode(encoded{X: []float64{1, math.Inf(1)}, S: []int32{7}, N: 3, Name: "converged",
		Inner: inner{Eps: 1, Norm: "l2"}, List: []inner{{Eps: 2}}})
	check := js.Global().Get("Function").New("v", `return v.x instanceof Float64Array && v.x[1] === Infinity &&
		v.support instanceof Int32Array && v.support[0] === 7 && v.n === 3 && v.status === "converged" &&
		!("opt" in v) && v.inner.epsilon === 1 && v.inner.norm === "l2" && v.list[0].epsilon === 2;`)
	assert.True(t, check.Invoke(v).Bool())
	// Empty slices still become typed arrays.
	assert.True(t, Encode(encoded{}).Get("x").InstanceOf(jsFloat64Array))
}

// await blocks until the promise settles; the test goroutine may block.
func await(p js.Value) (js.Value, js.Value) {
	ch := make(chan [2]js.Value, 1)
	var ok, fail js.Func
	ok = js.FuncOf(func(_ js.Value, a []js.Value) any { ch <- [2]js.Value{a[0], js.Undefined()}; return nil })
	fail = js.FuncOf(func(_ js.Value, a []js.Value) any { ch <- [2]js.Value{js.Undefined(), a[0]}; return nil })
	defer ok.Release()
	defer fail.Release()
	p.Call("then", ok, fail)
	r := <-ch
	return r[0], r[1]
}

func TestExportsPromiseErrorAndPanic(t *testing.T) {
	register("testPanic", func(js.Value, *solver.Control) (any, time.Duration, error) {
		var m map[string]int
		m["boom"] = 1 // a nil-map write panics
		return nil, 0, nil
	})
	defer delete(handlers, "testPanic")
	exp := Exports()

	res, rej := await(exp.Call("sparseSimplexProjection", eval(t, `{v: [0.5, 2, -1], k: 1}`)))
	require.True(t, rej.IsUndefined())
	assert.Equal(t, 1, res.Get("support").Index(0).Int())
	assert.Equal(t, 1.0, res.Get("x").Index(1).Float())
	assert.Equal(t, js.TypeNumber, res.Get("elapsedMs").Type())

	_, rej = await(exp.Call("sparseSimplexProjection", eval(t, `{v: [1], k: 0}`)))
	assert.Equal(t, "RangeError", rej.Get("name").String())
	assert.Equal(t, "ERR_DOMAIN", rej.Get("code").String())
	assert.Equal(t, "k", rej.Get("field").String())

	_, rej = await(exp.Call("testPanic", js.ValueOf(map[string]any{})))
	assert.Equal(t, "ERR_INTERNAL", rej.Get("code").String())

	_, rej = await(exp.Call("sparseSimplexProjection", eval(t, `{v: [1], k: 1}`), eval(t, `{bogus: 1}`)))
	assert.Equal(t, "ERR_OPTION", rej.Get("code").String())

	// The module still works after a panic.
	res, rej = await(exp.Call("sparseSimplexProjection", eval(t, `{v: new Float64Array([3, 1]), k: 2, z: 2}`)))
	require.True(t, rej.IsUndefined())
	assert.Equal(t, 2.0, res.Get("x").Index(0).Float())
}

func TestInvokeCatchesThrow(t *testing.T) {
	fn := eval(t, `() => { throw new Error("nope"); }`)
	_, err := Invoke("problem.apply", fn)
	ie := inputErr(t, err)
	assert.Equal(t, solver.CodeCallback, ie.Code)
	assert.Contains(t, ie.Msg, "nope")
}

func TestDecodeVectorFunc(t *testing.T) {
	var s struct {
		F api.VectorFunc `js:"apply"`
	}
	require.NoError(t, Decode(eval(t, `{apply: (z) => z.map((x) => 2 * x)}`), &s))
	out, err := s.F([]float64{1, 2.5})
	require.NoError(t, err)
	assert.Equal(t, []float64{2, 5}, out)

	require.NoError(t, Decode(eval(t, `{apply: (z) => "nope"}`), &s))
	_, err = s.F([]float64{1})
	assert.Equal(t, solver.CodeCallback, inputErr(t, err).Code)

	require.NoError(t, Decode(eval(t, `{apply: (z) => { throw new RangeError("bad z"); }}`), &s))
	_, err = s.F([]float64{1})
	assert.Contains(t, inputErr(t, err).Msg, "bad z")

	assert.Equal(t, solver.CodeType, inputErr(t, Decode(eval(t, `{apply: 3}`), &s)).Code)
}

type limits struct {
	MaxIter int     `js:"maxIter"`
	Tol     float64 `js:"tol"`
}

type withEmbedded struct {
	K int `js:"k,required"`
	limits
}

func TestEmbeddedStructsAreFlattened(t *testing.T) {
	s := withEmbedded{limits: limits{MaxIter: 7, Tol: 1e-3}}
	require.NoError(t, Decode(eval(t, `{k: 2, tol: 1e-6}`), &s))
	assert.Equal(t, withEmbedded{K: 2, limits: limits{MaxIter: 7, Tol: 1e-6}}, s)
	assert.Equal(t, solver.CodeOption, inputErr(t, Decode(eval(t, `{k: 2, limits: {}}`), &s)).Code)
	v := Encode(s)
	assert.Equal(t, 7, v.Get("maxIter").Int())
	assert.True(t, v.Get("limits").IsUndefined())
}
