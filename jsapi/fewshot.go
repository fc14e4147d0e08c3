//go:build js && wasm

package jsapi

import "github.com/optwasm/optwasm/api"

func init() {
	register("fewShot", bind(api.NewFewShotInput, api.FewShot))
	register("cluster", bind(api.NewClusterInput, api.Cluster))
}
