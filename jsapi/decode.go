//go:build js && wasm

package jsapi

import (
	"math"
	"reflect"
	"strings"
	"syscall/js"
	"unsafe"

	"github.com/optwasm/optwasm/api"
	"github.com/optwasm/optwasm/core/solver"
)

var (
	jsObject       = js.Global().Get("Object")
	jsArray        = js.Global().Get("Array")
	jsFloat64Array = js.Global().Get("Float64Array")
	jsInt32Array   = js.Global().Get("Int32Array")
	jsUint8Array   = js.Global().Get("Uint8Array")
	jsArrayBuffer  = js.Global().Get("ArrayBuffer")
	jsValueType    = reflect.TypeFor[js.Value]()
	matrixType     = reflect.TypeFor[api.Matrix]()
	vectorFuncType = reflect.TypeFor[api.VectorFunc]()
)

// Decode copies the JS object v into *dst, a pointer to a struct whose
// fields carry `js:"name"` or `js:"name,required"` tags. Fields that are
// absent, undefined or null keep their current values (so callers preset
// defaults); unknown keys are an ERR_OPTION error; values of the wrong type
// are ERR_TYPE errors naming the field. Supported field types: float64, int,
// bool, string, []float64, []int, []int32, api.Matrix, api.VectorFunc (a JS
// function), js.Value (kept as is),
// nested structs and pointers to structs.
func Decode(v js.Value, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		panic("jsapi.Decode: dst must be a pointer to a struct")
	}
	return decodeStruct(v, rv.Elem(), "")
}

func typeErr(field, format string, args ...any) error {
	return solver.Errorf(solver.TypeErr, solver.CodeType, field, format, args...)
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func decodeStruct(v js.Value, rv reflect.Value, prefix string) error {
	what := prefix
	if what == "" {
		what = "input"
	}
	if v.Type() != js.TypeObject || v.IsNull() || isArray(v) {
		return typeErr(what, "must be an object, got %s", describe(v))
	}
	known := map[string]bool{}
	if err := decodeFields(v, rv, prefix, known); err != nil {
		return err
	}
	keys := jsObject.Call("keys", v)
	for i, n := 0, keys.Length(); i < n; i++ {
		if k := keys.Index(i).String(); !known[k] {
			return solver.Errorf(solver.TypeErr, solver.CodeOption, join(prefix, k), "is not a known field of %s", what)
		}
	}
	return nil
}

// decodeFields fills the tagged fields of rv from v and records their names
// in known. An embedded struct without a tag contributes its fields to the
// same object, as with encoding/json.
func decodeFields(v js.Value, rv reflect.Value, prefix string, known map[string]bool) error {
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		tag, ok := f.Tag.Lookup("js")
		if !ok && f.Anonymous && f.Type.Kind() == reflect.Struct {
			if err := decodeFields(v, rv.Field(i), prefix, known); err != nil {
				return err
			}
			continue
		}
		if !ok || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		known[name] = true
		fv := v.Get(name)
		field := join(prefix, name)
		if fv.IsUndefined() || fv.IsNull() {
			if opts == "required" {
				return solver.Errorf(solver.TypeErr, solver.CodeMissing, field, "is required")
			}
			continue
		}
		if err := decodeValue(fv, rv.Field(i), field); err != nil {
			return err
		}
	}
	return nil
}

func decodeValue(v js.Value, rv reflect.Value, field string) error {
	switch t := rv.Type(); {
	case t == jsValueType:
		rv.Set(reflect.ValueOf(v))
		return nil
	case t == vectorFuncType:
		if v.Type() != js.TypeFunction {
			return typeErr(field, "must be a function, got %s", describe(v))
		}
		rv.Set(reflect.ValueOf(api.VectorFunc(func(z []float64) ([]float64, error) {
			out, err := Invoke(field, v, Float64Array(z))
			if err != nil {
				return nil, err
			}
			xs, err := decodeFloats(out, field)
			if err != nil {
				return nil, solver.Errorf(solver.TypeErr, solver.CodeCallback, field, "returned %s; want an array of numbers", describe(out))
			}
			return xs, nil
		})))
		return nil
	case t == matrixType:
		m, err := decodeMatrix(v, field)
		if err != nil {
			return err
		}
		rv.Set(reflect.ValueOf(m))
		return nil
	}
	switch rv.Kind() {
	case reflect.Float64:
		x, err := decodeNumber(v, field)
		if err != nil {
			return err
		}
		rv.SetFloat(x)
	case reflect.Int:
		x, err := decodeNumber(v, field)
		if err != nil {
			return err
		}
		i, err := toInt(x, field)
		if err != nil {
			return err
		}
		rv.SetInt(int64(i))
	case reflect.Bool:
		if v.Type() != js.TypeBoolean {
			return typeErr(field, "must be a boolean, got %s", describe(v))
		}
		rv.SetBool(v.Bool())
	case reflect.String:
		if v.Type() != js.TypeString {
			return typeErr(field, "must be a string, got %s", describe(v))
		}
		rv.SetString(v.String())
	case reflect.Slice:
		xs, err := decodeFloats(v, field)
		if err != nil {
			return err
		}
		switch rv.Type().Elem().Kind() {
		case reflect.Float64:
			rv.Set(reflect.ValueOf(xs))
		case reflect.Int:
			is := make([]int, len(xs))
			for i, x := range xs {
				if is[i], err = toInt(x, field); err != nil {
					return err
				}
			}
			rv.Set(reflect.ValueOf(is))
		case reflect.Int32:
			is := make([]int32, len(xs))
			for i, x := range xs {
				n, err := toInt(x, field)
				if err != nil {
					return err
				}
				if n != int(int32(n)) {
					return solver.Errorf(solver.RangeErr, solver.CodeDomain, field, "entry %d is out of the int32 range", i)
				}
				is[i] = int32(n)
			}
			rv.Set(reflect.ValueOf(is))
		default:
			panic("jsapi: unsupported slice type " + rv.Type().String())
		}
	case reflect.Struct:
		return decodeStruct(v, rv, field)
	case reflect.Pointer:
		p := reflect.New(rv.Type().Elem())
		if err := decodeValue(v, p.Elem(), field); err != nil {
			return err
		}
		rv.Set(p)
	default:
		panic("jsapi: unsupported field type " + rv.Type().String())
	}
	return nil
}

func decodeNumber(v js.Value, field string) (float64, error) {
	if v.Type() != js.TypeNumber {
		return 0, typeErr(field, "must be a number, got %s", describe(v))
	}
	x := v.Float()
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, solver.Errorf(solver.RangeErr, solver.CodeNotFinite, field, "must be finite, got %v", x)
	}
	return x, nil
}

func toInt(x float64, field string) (int, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, solver.Errorf(solver.RangeErr, solver.CodeNotFinite, field, "must be finite, got %v", x)
	}
	if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
		return 0, solver.Errorf(solver.RangeErr, solver.CodeDomain, field, "must be an integer, got %v", x)
	}
	return int(x), nil
}

func isArray(v js.Value) bool { return jsArray.Call("isArray", v).Bool() }

// isTypedNumbers reports whether v is a typed array (any element type) or a
// DataView-free ArrayBuffer view of numbers.
func isTypedNumbers(v js.Value) bool {
	return v.Type() == js.TypeObject && !v.IsNull() &&
		jsArrayBuffer.Call("isView", v).Bool() && !v.Get("BYTES_PER_ELEMENT").IsUndefined()
}

// decodeFloats reads a vector given as a typed array or as an array of
// numbers. Typed arrays move as one bulk copy; a Float64Array needs no
// conversion at all.
func decodeFloats(v js.Value, field string) ([]float64, error) {
	if isTypedNumbers(v) {
		if !v.InstanceOf(jsFloat64Array) {
			if v.Get("BYTES_PER_ELEMENT").Int() == 8 { // BigInt64Array and friends
				return nil, typeErr(field, "must hold numbers, got a BigInt typed array")
			}
			v = jsFloat64Array.New(v)
		}
		return copyFloat64Array(v), nil
	}
	if !isArray(v) {
		return nil, typeErr(field, "must be an array of numbers or a typed array, got %s", describe(v))
	}
	n := v.Length()
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		e := v.Index(i)
		if e.Type() != js.TypeNumber {
			return nil, typeErr(field, "entry %d must be a number, got %s", i, describe(e))
		}
		out[i] = e.Float()
	}
	return out, nil
}

// decodeMatrix reads a flat numeric array or an array of equal-length rows.
func decodeMatrix(v js.Value, field string) (api.Matrix, error) {
	if isTypedNumbers(v) {
		xs, err := decodeFloats(v, field)
		return api.Matrix{Data: xs}, err
	}
	if !isArray(v) {
		return api.Matrix{}, typeErr(field, "must be a matrix (a flat numeric array or an array of rows), got %s", describe(v))
	}
	n := v.Length()
	if n == 0 || v.Index(0).Type() == js.TypeNumber {
		xs, err := decodeFloats(v, field)
		return api.Matrix{Data: xs}, err
	}
	var data []float64
	cols := -1
	for i := 0; i < n; i++ {
		row, err := decodeFloats(v.Index(i), field)
		if err != nil {
			return api.Matrix{}, typeErr(field, "row %d: %v", i, err.(*solver.InputError).Msg)
		}
		if cols < 0 {
			cols = len(row)
			data = make([]float64, 0, n*cols)
		} else if len(row) != cols {
			return api.Matrix{}, solver.Errorf(solver.TypeErr, solver.CodeShape, field, "row %d has %d entries, row 0 has %d", i, len(row), cols)
		}
		data = append(data, row...)
	}
	return api.Matrix{Data: data, Rows: n, Cols: cols}, nil
}

// copyFloat64Array copies a JS Float64Array into a new Go slice with one
// bulk byte copy.
func copyFloat64Array(v js.Value) []float64 {
	n := v.Length()
	out := make([]float64, n)
	if n > 0 {
		bytes := unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), 8*n)
		view := jsUint8Array.New(v.Get("buffer"), v.Get("byteOffset"), 8*n)
		js.CopyBytesToGo(bytes, view)
	}
	return out
}

// describe names the JS type of v for error messages.
func describe(v js.Value) string {
	switch v.Type() {
	case js.TypeObject:
		if v.IsNull() {
			return "null"
		}
		if isArray(v) {
			return "an array"
		}
		if c := v.Get("constructor"); c.Type() == js.TypeFunction {
			return "a " + c.Get("name").String()
		}
		return "an object"
	case js.TypeNumber:
		return "the number " + js.Global().Get("String").Invoke(v).String()
	case js.TypeString:
		return "a string"
	}
	return v.Type().String()
}
