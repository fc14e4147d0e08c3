//go:build js && wasm

package jsapi

import (
	"reflect"
	"strings"
	"syscall/js"
	"unsafe"
)

// Encode converts a Go result to a JS value. Structs become plain objects
// keyed by their `js:"name"` tags (untagged embedded structs flattened) (`js:"name,omitempty"` drops nil pointers,
// nil slices and empty strings); []float64 becomes a Float64Array and
// []int32 an Int32Array, each filled by one bulk byte copy; other slices
// become arrays; numbers, strings and booleans map to themselves; a js.Value
// passes through.
func Encode(x any) js.Value {
	if x == nil {
		return js.Null()
	}
	return encodeValue(reflect.ValueOf(x))
}

func encodeValue(rv reflect.Value) js.Value {
	if rv.Type() == jsValueType {
		return rv.Interface().(js.Value)
	}
	switch rv.Kind() {
	case reflect.Float64, reflect.Float32:
		return js.ValueOf(rv.Float())
	case reflect.Int, reflect.Int32, reflect.Int64:
		return js.ValueOf(rv.Int())
	case reflect.Bool:
		return js.ValueOf(rv.Bool())
	case reflect.String:
		return js.ValueOf(rv.String())
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return js.Null()
		}
		return encodeValue(rv.Elem())
	case reflect.Slice:
		switch rv.Type().Elem().Kind() {
		case reflect.Float64:
			return Float64Array(rv.Interface().([]float64))
		case reflect.Int32:
			return Int32Array(rv.Interface().([]int32))
		}
		arr := jsArray.New(rv.Len())
		for i := 0; i < rv.Len(); i++ {
			arr.SetIndex(i, encodeValue(rv.Index(i)))
		}
		return arr
	case reflect.Struct:
		obj := jsObject.New()
		encodeFields(obj, rv)
		return obj
	}
	panic("jsapi.Encode: unsupported type " + rv.Type().String())
}

// encodeFields sets obj's properties from the tagged fields of rv,
// flattening untagged embedded structs.
func encodeFields(obj js.Value, rv reflect.Value) {
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		sf := rt.Field(i)
		tag, ok := sf.Tag.Lookup("js")
		if !ok && sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			encodeFields(obj, rv.Field(i))
			continue
		}
		if !ok || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		f := rv.Field(i)
		if opts == "omitempty" && f.IsZero() {
			continue
		}
		obj.Set(name, encodeValue(f))
	}
}

// Float64Array returns a new JS Float64Array holding a copy of xs.
func Float64Array(xs []float64) js.Value {
	arr := jsFloat64Array.New(len(xs))
	if len(xs) > 0 {
		js.CopyBytesToJS(jsUint8Array.New(arr.Get("buffer")),
			unsafe.Slice((*byte)(unsafe.Pointer(&xs[0])), 8*len(xs)))
	}
	return arr
}

// Int32Array returns a new JS Int32Array holding a copy of xs.
func Int32Array(xs []int32) js.Value {
	arr := jsInt32Array.New(len(xs))
	if len(xs) > 0 {
		js.CopyBytesToJS(jsUint8Array.New(arr.Get("buffer")),
			unsafe.Slice((*byte)(unsafe.Pointer(&xs[0])), 4*len(xs)))
	}
	return arr
}
