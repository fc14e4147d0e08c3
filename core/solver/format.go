package solver

import (
	"strconv"
	"strings"
)

// sprintf formats the verbs that error messages use (%d, %g, %s, %v, %q,
// %%) without package fmt: fmt (with the os package it pulls in) adds about
// 160 kB gzipped to the wasm module, a sixth of its size budget. Integers,
// floats, strings, booleans, errors and Stringers are formatted as fmt
// would; anything else prints as "?".
func sprintf(format string, args ...any) string {
	var b strings.Builder
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		verb := format[i]
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		if next >= len(args) {
			b.WriteString("%!" + string(verb) + "(MISSING)")
			continue
		}
		s := formatArg(args[next])
		if verb == 'q' {
			s = strconv.Quote(s)
		}
		b.WriteString(s)
		next++
	}
	return b.String()
}

func formatArg(a any) string {
	switch v := a.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'g', -1, 32)
	case bool:
		return strconv.FormatBool(v)
	case error:
		return v.Error()
	case interface{ String() string }:
		return v.String()
	}
	return "?"
}

// Sprint formats a single value as Errorf's %v does (for panic values).
func Sprint(a any) string { return formatArg(a) }
