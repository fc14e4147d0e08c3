#!/usr/bin/env bash
# npm test: Go tests (native and wasm-side), then the packed package tested
# from a scratch project in Node and in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go vet, gofmt"
go vet ./...
GOOS=js GOARCH=wasm go vet ./jsapi/... ./wasm/...
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))
[ -z "$unformatted" ] || { echo "gofmt needed: $unformatted"; exit 1; }

echo "== go test (native)"
go test -count=1 ./... # uncached: wasm/deps_test.go asks go list, which the test cache cannot see

echo "== go test (GOOS=js GOARCH=wasm, under Node)"
GOOS=js GOARCH=wasm go test -count=1 -exec "$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./jsapi/... ./core/...

echo "== build and pack"
bash build.sh
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
npm pack --silent --ignore-scripts --pack-destination "$scratch" >/dev/null
mkdir -p "$scratch/consumer"
( cd "$scratch/consumer" && echo '{"name":"consumer","private":true,"type":"module"}' > package.json \
  && npm install --silent --no-audit --no-fund "$scratch"/optwasm-*.tgz \
  && echo "export * from 'optwasm';" > index.mjs )
export OPTWASM_CONSUMER="$scratch/consumer"

echo "== node --test (Node API, from the installed tarball)"
node --test --test-concurrency=1 tests/node/

echo "== node --test (headless Chromium)"
node --test --test-concurrency=1 tests/browser/
