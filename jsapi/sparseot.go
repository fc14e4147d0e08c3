//go:build js && wasm

package jsapi

import "github.com/optwasm/optwasm/api"

func init() { register("sparseOT", bind(api.NewSparseOTInput, api.SparseOT)) }
