// The guest is its own module, so that the root module's `go test ./...`
// does not build it for the host: it only builds for GOOS=wasip1
// GOARCH=wasm (see ../build.sh).
module github.com/weftwasm/weft/examples/go-guest/guest

go 1.22
