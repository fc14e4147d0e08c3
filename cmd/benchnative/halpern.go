package main

import "github.com/optwasm/optwasm/api"

func init() { runners["halpern"] = bind(api.NewHalpernInput, api.Halpern) }
