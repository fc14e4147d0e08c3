package main

import "github.com/optwasm/optwasm/api"

func init() {
	runners["fewShot"] = bind(api.NewFewShotInput, api.FewShot)
	runners["cluster"] = bind(api.NewClusterInput, api.Cluster)
}
