#!/usr/bin/env bash
# Build the npm package into dist/: the wasm module, Go's wasm_exec.js from the
# same toolchain, the hand-written JS layer and its type declarations.
set -euo pipefail
cd "$(dirname "$0")"

rm -rf dist && mkdir -p dist
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o dist/optwasm.wasm ./wasm

# wasm-opt (Debian's binaryen) when present: measured in the README; it only
# shrinks the module, so a build without it is equally correct.
if command -v wasm-opt >/dev/null 2>&1 && [ "${OPTWASM_NO_WASM_OPT:-}" = "" ]; then
  wasm-opt --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    -Oz dist/optwasm.wasm -o dist/optwasm.opt.wasm && mv dist/optwasm.opt.wasm dist/optwasm.wasm
fi

cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" dist/
cp js/*.js js/*.d.ts dist/

raw=$(wc -c < dist/optwasm.wasm)
gz=$(gzip -9 -c dist/optwasm.wasm | wc -c)
awk -v r="$raw" -v g="$gz" 'BEGIN { printf "dist/optwasm.wasm: %d bytes raw, %d bytes gzip (%.2f MB)\n", r, g, g / 1e6 }'
