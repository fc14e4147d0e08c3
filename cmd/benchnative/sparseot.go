package main

import "github.com/optwasm/optwasm/api"

func init() { runners["sparseOT"] = bind(api.NewSparseOTInput, api.SparseOT) }
