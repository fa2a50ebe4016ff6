package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// wantDemo is what `go run ./examples/host-plugin` prints after its first
// line (the plugin's size, which depends on the compiler that built it).
const wantDemo = `client: GET /hello?name=Ada
server: #1 plugin log: hello: greeting Ada
server: #1 GET /hello?name=Ada -> 200, 12 bytes (instance 1)
client: <- 200 "Hello, Ada!\n"
client: GET /kv/motd
server: #2 plugin log: kv: motd found
server: #2 GET /kv/motd -> 200, 93 bytes (instance 1)
client: <- 200 "motd = C compiled to Wasm, sandboxed inside a Go HTTP server, calling Go back through libffi\n"
client: GET /kv/color
server: #3 plugin log: kv: color is not set
server: #3 GET /kv/color -> 404, 19 bytes (instance 1)
client: <- 404 "no such key: color\n"
client: POST /reverse "stressed"
server: #4 plugin log: reverse: 8 bytes
server: #4 POST /reverse -> 200, 9 bytes (instance 1)
client: <- 200 "desserts\n"
client: GET /crash
server: #5 plugin log: crash: writing through a wild pointer
server: #5 GET /crash: instance 1 failed and was discarded: wasm error: out of bounds memory access
wasm stack trace:
	.handle
client: <- 500 "plugin failed\n"
client: GET /spin
server: #6 plugin log: spin: looping forever
server: #6 GET /spin: instance 2 stopped after 250ms and discarded: module closed with context deadline exceeded
client: <- 503 "plugin timed out\n"
client: GET /hello
server: #7 plugin log: hello: greeting world
server: #7 GET /hello -> 200, 14 bytes (instance 3)
client: <- 200 "Hello, world!\n"
`

func TestDemo(t *testing.T) {
	var out bytes.Buffer
	if err := demo(context.Background(), &out, 250*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("plugin.wasm: %d bytes of C compiled to Wasm, served over HTTP\n", len(pluginWasm)) + wantDemo
	if got := out.String(); got != want {
		t.Errorf("demo printed:\n%s\nwant:\n%s", got, want)
	}
}

// Many clients at once: each request runs in its own instance, and the
// answers do not mix.
func TestConcurrentRequests(t *testing.T) {
	ctx := context.Background()
	srv, err := newServer(ctx, pluginWasm, 5*time.Second, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(ctx)
	ts := httptest.NewServer(srv)
	defer ts.Close()

	const clients, requests = 16, 8
	var wg sync.WaitGroup
	errs := make(chan error, clients*requests)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < requests; i++ {
				name := fmt.Sprintf("client%d-%d", c, i)
				status, body, err := send(ctx, ts.URL, "GET", "/hello?name="+name, "")
				if err == nil && (status != 200 || body != "Hello, "+name+"!\n") {
					err = fmt.Errorf("got %d %q", status, body)
				}
				if err != nil {
					errs <- err
				}
				text := name + " → ünïcödé 世界"
				status, body, err = send(ctx, ts.URL, "POST", "/reverse", text)
				if err == nil && (status != 200 || body != reverse(text)+"\n") {
					err = fmt.Errorf("reverse %q: got %d %q", text, status, body)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestLargeBody(t *testing.T) {
	ctx := context.Background()
	srv, err := newServer(ctx, pluginWasm, 5*time.Second, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(ctx)
	ts := httptest.NewServer(srv)
	defer ts.Close()

	body := strings.Repeat("abc", 100000) // grows the plugin's memory
	status, got, err := send(ctx, ts.URL, "POST", "/reverse", body)
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusOK || got != reverse(body)+"\n" {
		t.Errorf("got %d and %d bytes, want 200 and %d bytes", status, len(got), len(body)+1)
	}
}

// reverse reverses the characters of s, as the plugin does.
func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
