//go:build js && wasm

// Command wasm is the optwasm WebAssembly module. It hands its exported
// functions to the loader (globalThis.__optwasmReady, set by the package's
// JS layer) and then waits for calls forever.
package main

import (
	"syscall/js"

	"github.com/optwasm/optwasm/jsapi"
)

func main() {
	ready := js.Global().Get("__optwasmReady")
	if ready.Type() != js.TypeFunction {
		js.Global().Get("console").Call("error", "optwasm: load this module through the optwasm package (globalThis.__optwasmReady is missing)")
		return
	}
	ready.Invoke(jsapi.Exports())
	select {}
}
