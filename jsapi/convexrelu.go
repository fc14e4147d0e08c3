//go:build js && wasm

package jsapi

import "github.com/optwasm/optwasm/api"

func init() {
	register("convexReLU", bind(api.NewConvexReLUInput, api.ConvexReLU))
	register("predictReLU", bind(api.NewPredictReLUInput, api.PredictReLU))
}
