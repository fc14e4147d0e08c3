//go:build js && wasm

package jsapi

import "github.com/optwasm/optwasm/api"

func init() { register("halpern", bind(api.NewHalpernInput, api.Halpern)) }
