//go:build js && wasm

package jsapi

import (
	"errors"
	"math"
	"reflect"
	"runtime"
	"syscall/js"
	"time"

	"github.com/optwasm/optwasm/core/solver"
)

// Handler runs one exported function: it decodes input, solves, and returns
// a value for Encode and the time the solve itself took (decoding and
// encoding excluded, so that it compares with native Go). ctl carries the
// caller's time limit and a throttled progress hook for the core solver.
type Handler func(input js.Value, ctl *solver.Control) (result any, solveTime time.Duration, err error)

var handlers = map[string]Handler{}

// register adds a handler under its JavaScript name. Bindings call it from
// init functions.
func register(name string, h Handler) { handlers[name] = h }

// bind adapts a plain-Go entry point of package api to a Handler: the input
// starts from defaults(), Decode fills it from the JS value, solve runs it.
func bind[In, Out any](defaults func() In, solve func(*In, *solver.Control) (Out, error)) Handler {
	return func(v js.Value, ctl *solver.Control) (any, time.Duration, error) {
		in := defaults()
		if err := Decode(v, &in); err != nil {
			return nil, 0, err
		}
		start := time.Now()
		out, err := solve(&in, ctl)
		return out, time.Since(start), err
	}
}

// callOptions is the second argument of every exported function, filled by
// the JS layer (which owns AbortSignal handling).
type callOptions struct {
	TimeLimitMs float64  `js:"timeLimitMs"`
	OnProgress  js.Value `js:"onProgress"`
}

// progressInterval bounds the rate of progress reports sent to JavaScript.
const progressInterval = 50 * time.Millisecond

// Exports returns a JS object with one function per registered handler.
// Each function takes (input, options?) and returns a Promise that resolves
// to the encoded result with `elapsedMs` (the solve time) added to objects, or rejects with a JS Error
// carrying `code` (and `field` for input errors). A panic in a handler is
// recovered and rejected as ERR_INTERNAL, so the module stays usable.
func Exports() js.Value {
	obj := jsObject.New()
	for name, h := range handlers {
		obj.Set(name, js.FuncOf(func(this js.Value, args []js.Value) any {
			input, opts := js.Undefined(), js.Undefined()
			if len(args) > 0 {
				input = args[0]
			}
			if len(args) > 1 {
				opts = args[1]
			}
			return newPromise(func() (js.Value, error) { return call(h, input, opts) })
		}))
	}
	return obj
}

// call decodes the call options, runs h and encodes its result.
func call(h Handler, input, opts js.Value) (js.Value, error) {
	var o callOptions
	if !opts.IsUndefined() && !opts.IsNull() {
		if err := Decode(opts, &o); err != nil {
			return js.Value{}, err
		}
	}
	if o.TimeLimitMs < 0 {
		return js.Value{}, solver.Errorf(solver.RangeErr, solver.CodeDomain, "timeLimitMs", "must be >= 0, got %v", o.TimeLimitMs)
	}
	ctl := &solver.Control{TimeLimit: time.Duration(o.TimeLimitMs * float64(time.Millisecond))}
	if o.OnProgress.Type() == js.TypeFunction {
		ctl.Progress = throttle(o.OnProgress)
	}
	res, solveTime, err := h(input, ctl)
	if err != nil {
		return js.Value{}, err
	}
	out := Encode(res)
	if k := reflect.Indirect(reflect.ValueOf(res)).Kind(); k == reflect.Struct {
		out.Set("elapsedMs", float64(solveTime.Microseconds())/1000)
	}
	return out, nil
}

// throttle wraps a JS progress callback so that it is called at most once
// per progressInterval (the first report always goes through).
func throttle(fn js.Value) func(solver.Progress) {
	var last time.Time
	return func(p solver.Progress) {
		now := time.Now()
		if !last.IsZero() && now.Sub(last) < progressInterval {
			return
		}
		last = now
		obj := jsObject.New()
		obj.Set("iteration", p.Iteration)
		if !math.IsNaN(p.Objective) {
			obj.Set("objective", p.Objective)
		}
		if !math.IsNaN(p.Residual) {
			obj.Set("residual", p.Residual)
		}
		fn.Invoke(obj)
	}
}

// newPromise runs work in a goroutine (a js.Func handler must never block)
// and settles a JS Promise with its outcome.
func newPromise(work func() (js.Value, error)) js.Value {
	var executor js.Func
	executor = js.FuncOf(func(this js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		executor.Release()
		go func() {
			defer func() {
				if r := recover(); r != nil {
					reject.Invoke(ErrorValue(&solver.InputError{
						Kind: solver.InternalErr, Code: solver.CodeInternal,
						Msg: "internal error (please report): " + solver.Sprint(r) + "\n" + stack(),
					}))
				}
			}()
			v, err := work()
			if err != nil {
				reject.Invoke(ErrorValue(err))
				return
			}
			resolve.Invoke(v)
		}()
		return nil
	})
	return js.Global().Get("Promise").New(executor)
}

// ErrorValue converts err to a JS Error. An *solver.InputError becomes a
// TypeError or RangeError with `code` and `field` properties; any other error
// becomes an Error with code ERR_INTERNAL.
func ErrorValue(err error) js.Value {
	var ie *solver.InputError
	if !errors.As(err, &ie) {
		ie = &solver.InputError{Kind: solver.InternalErr, Code: solver.CodeInternal, Msg: err.Error()}
	}
	ctor := js.Global().Get(string(ie.Kind))
	if ctor.Type() != js.TypeFunction {
		ctor = js.Global().Get("Error")
	}
	e := ctor.New(ie.Error())
	e.Set("code", ie.Code)
	if ie.Field != "" {
		e.Set("field", ie.Field)
	}
	return e
}

// Invoke calls the JS function fn and turns a JS exception into an
// ERR_CALLBACK error naming field, so a throwing user callback rejects the
// call instead of killing the Go runtime.
func Invoke(field string, fn js.Value, args ...any) (v js.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			msg := solver.Sprint(r)
			if je, ok := r.(js.Error); ok {
				msg = je.Value.Call("toString").String()
			}
			err = solver.Errorf(solver.TypeErr, solver.CodeCallback, field, "threw: %s", msg)
		}
	}()
	return fn.Invoke(args...), nil
}

// stack returns the current goroutine's stack (runtime/debug.Stack would
// pull package fmt into the module).
func stack() string {
	buf := make([]byte, 16<<10)
	return string(buf[:runtime.Stack(buf, false)])
}
