//go:build js && wasm

package jsapi

import "github.com/optwasm/optwasm/api"

func init() { register("sparseSimplexProjection", bind(api.NewProjectionInput, api.Projection)) }
