package main

import "github.com/optwasm/optwasm/api"

func init() {
	runners["convexReLU"] = bind(api.NewConvexReLUInput, api.ConvexReLU)
	runners["predictReLU"] = bind(api.NewPredictReLUInput, api.PredictReLU)
}
