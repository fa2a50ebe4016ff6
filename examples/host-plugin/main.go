// Command host-plugin is weft's main demo: a Go HTTP server whose request
// handler is a WebAssembly plugin written in C (plugin/plugin.c). The plugin calls
// back into Go through host functions (a logger, a key-value lookup, the
// response status); Go hands it each request through its exported malloc,
// free and handle. Every request runs in its own instance of one compiled
// module, taken from a small pool: a plugin that traps or overruns its
// deadline loses its instance, and the server goes on.
//
// With no flags it starts the server on a free local port, sends itself a
// few requests, prints what each side saw and exits:
//
//	go run ./examples/host-plugin
//
// With -serve it keeps serving:
//
//	go run ./examples/host-plugin -serve localhost:8080
//	curl 'localhost:8080/hello?name=Ada'
package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	wazero "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

// pluginWasm is plugin/plugin.c compiled by build.sh.
//
//go:embed plugin.wasm
var pluginWasm []byte

// store is the key-value store the plugin reads through env.kv_get. It is
// never written once the server runs, so concurrent reads need no lock.
var store = map[string]string{
	"owner": "the weft authors",
	"motd":  "C compiled to Wasm, sandboxed inside a Go HTTP server, calling Go back through libffi",
}

func main() {
	serve := flag.String("serve", "", "keep serving on `addr` (e.g. localhost:8080) instead of running the demo")
	timeout := flag.Duration("timeout", 250*time.Millisecond, "how long the plugin may take per request")
	flag.Parse()

	ctx := context.Background()
	var err error
	if *serve != "" {
		err = serveForever(ctx, *serve, *timeout)
	} else {
		err = demo(ctx, os.Stdout, *timeout)
	}
	if err != nil {
		log.Fatal(err)
	}
}

// serveForever serves the plugin on addr until the process is stopped.
func serveForever(ctx context.Context, addr string, timeout time.Duration) error {
	logger := log.New(os.Stderr, "", log.LstdFlags)
	srv, err := newServer(ctx, pluginWasm, timeout, logger)
	if err != nil {
		return err
	}
	defer srv.Close(ctx)
	logger.Printf("serving plugin.wasm on http://%s (try /hello?name=Ada, /kv/motd, POST /reverse)", addr)
	return http.ListenAndServe(addr, srv)
}

// demoRequests are the requests the demo sends, in order.
var demoRequests = []struct {
	method, path, body string
}{
	{"GET", "/hello?name=Ada", ""},
	{"GET", "/kv/motd", ""},
	{"GET", "/kv/color", ""},
	{"POST", "/reverse", "stressed"},
	{"GET", "/crash", ""},
	{"GET", "/spin", ""},
	{"GET", "/hello", ""},
}

// demo serves the plugin on a free local port, sends it demoRequests and
// prints to w, line by line, what the client and the server saw. The output
// is the same on every run.
func demo(ctx context.Context, w io.Writer, timeout time.Duration) error {
	out := &lockedWriter{w: w} // the server's goroutines and the client share w
	srv, err := newServer(ctx, pluginWasm, timeout, log.New(out, "server: ", 0))
	if err != nil {
		return err
	}
	defer srv.Close(ctx)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	httpServer := &http.Server{Handler: srv}
	go httpServer.Serve(ln)
	defer httpServer.Shutdown(ctx)

	fmt.Fprintf(out, "plugin.wasm: %d bytes of C compiled to Wasm, served over HTTP\n", len(pluginWasm))
	for _, req := range demoRequests {
		fmt.Fprintf(out, "client: %s %s%s\n", req.method, req.path, quoteBody(req.body))
		status, body, err := send(ctx, "http://"+ln.Addr().String(), req.method, req.path, req.body)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "client: <- %d%s\n", status, quoteBody(body))
	}
	return nil
}

func send(ctx context.Context, base, method, path, body string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// quoteBody returns s quoted after a space, or "" if s is empty.
func quoteBody(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf(" %q", s)
}

// lockedWriter serializes writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// ------------------------------------------------------------------ server

// maxIdle is how many idle plugin instances the server keeps for reuse.
const maxIdle = 8

// maxBody is the largest request body handed to the plugin.
const maxBody = 1 << 20

// server is an http.Handler that runs each request through the plugin.
type server struct {
	runtime  wazero.Runtime
	compiled wazero.CompiledModule
	timeout  time.Duration
	log      *log.Logger
	idle     chan *instance // instances ready for the next request
	requests atomic.Int64   // numbers the requests in the log
	made     atomic.Int64   // numbers the instances in the log
}

// instance is a plugin instance with its number, for the log.
type instance struct {
	api.Module
	id int64
}

// exchange is one request as the host functions see it: they find it in
// the context of the call that runs the plugin.
type exchange struct {
	id     int64
	status int
}

type exchangeKey struct{}

// newServer compiles the plugin once and defines the host functions it
// imports. Close frees everything.
func newServer(ctx context.Context, wasm []byte, timeout time.Duration, logger *log.Logger) (*server, error) {
	// WithCloseOnContextDone: a request's deadline stops a plugin stuck in
	// a loop, instead of tying up its goroutine forever.
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCloseOnContextDone(true))
	s := &server{runtime: r, timeout: timeout, log: logger, idle: make(chan *instance, maxIdle)}

	_, err := r.NewHostModuleBuilder("env").
		NewFunctionBuilder().WithFunc(s.hostLog).Export("log").
		NewFunctionBuilder().WithFunc(hostKVGet).Export("kv_get").
		NewFunctionBuilder().WithFunc(hostSetStatus).Export("set_status").
		Instantiate(ctx)
	if err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("host module env: %w", err)
	}
	s.compiled, err = r.CompileModule(ctx, wasm)
	if err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("compile plugin: %w", err)
	}
	return s, nil
}

// Close closes every instance and the runtime.
func (s *server) Close(ctx context.Context) error { return s.runtime.Close(ctx) }

// hostLog is env.log(msg, len): a log line from the plugin, tagged with the
// request it belongs to.
func (s *server) hostLog(ctx context.Context, m api.Module, msg, n uint32) {
	text, ok := m.Memory().Read(msg, n)
	if !ok {
		panic(fmt.Errorf("log: [%d, %d) is outside the plugin's memory", msg, uint64(msg)+uint64(n)))
	}
	s.log.Printf("#%d plugin log: %s", exchangeOf(ctx).id, text)
}

// hostKVGet is env.kv_get(key, key_len, buf, cap) -> len: it copies up to
// cap bytes of the value of key to buf and returns the value's length, or
// -1 if key is not in the store.
func hostKVGet(_ context.Context, m api.Module, key, keyLen, buf, capacity uint32) int32 {
	k, ok := m.Memory().Read(key, keyLen)
	if !ok {
		panic(errors.New("kv_get: the key is outside the plugin's memory"))
	}
	value, found := store[string(k)]
	if !found {
		return -1
	}
	n := min(uint32(len(value)), capacity)
	if !m.Memory().WriteString(buf, value[:n]) {
		panic(errors.New("kv_get: the buffer is outside the plugin's memory"))
	}
	return int32(len(value))
}

// hostSetStatus is env.set_status(code).
func hostSetStatus(ctx context.Context, code int32) {
	if code < 100 || code > 599 {
		panic(fmt.Errorf("set_status: %d is not an HTTP status", code))
	}
	exchangeOf(ctx).status = int(code)
}

func exchangeOf(ctx context.Context) *exchange {
	if x, ok := ctx.Value(exchangeKey{}).(*exchange); ok {
		return x
	}
	panic(errors.New("host function called outside a request"))
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{id: s.requests.Add(1), status: http.StatusOK}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithValue(r.Context(), exchangeKey{}, x), s.timeout)
	defer cancel()

	reqLine := r.Method + " " + r.URL.RequestURI()
	resp, inst, err := s.handle(ctx, reqLine, body)
	switch {
	case inst == nil:
		s.log.Printf("#%d %s: %v", x.id, reqLine, err)
		http.Error(w, "plugin unavailable", http.StatusInternalServerError)
	case errors.Is(err, context.DeadlineExceeded):
		s.log.Printf("#%d %s: instance %d stopped after %v and discarded: %v", x.id, reqLine, inst.id, s.timeout, err)
		http.Error(w, "plugin timed out", http.StatusServiceUnavailable)
	case err != nil:
		s.log.Printf("#%d %s: instance %d failed and was discarded: %v", x.id, reqLine, inst.id, err)
		http.Error(w, "plugin failed", http.StatusInternalServerError)
	default:
		s.log.Printf("#%d %s -> %d, %d bytes (instance %d)", x.id, reqLine, x.status, len(resp), inst.id)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(x.status)
		w.Write(resp)
	}
}

// handle runs one request in an instance from the pool and returns the
// response body and the instance it ran in (nil if none could be made).
func (s *server) handle(ctx context.Context, reqLine string, body []byte) ([]byte, *instance, error) {
	inst, err := s.instance(ctx)
	if err != nil {
		return nil, nil, err
	}
	resp, err := call(ctx, inst, reqLine, body)
	if err != nil {
		// A trap may have left the plugin's memory half updated: never
		// reuse the instance.
		inst.Close(ctx)
		return nil, inst, err
	}
	s.release(ctx, inst)
	return resp, inst, nil
}

// instance returns an idle instance, or a new one.
func (s *server) instance(ctx context.Context) (*instance, error) {
	select {
	case inst := <-s.idle:
		return inst, nil
	default:
	}
	// WithName(""): the instances are anonymous, so any number may live at
	// once. The plugin is a reactor: _initialize runs its C constructors.
	cfg := wazero.NewModuleConfig().WithName("").WithStartFunctions("_initialize")
	mod, err := s.runtime.InstantiateModule(ctx, s.compiled, cfg)
	if err != nil {
		return nil, fmt.Errorf("instantiate plugin: %w", err)
	}
	return &instance{Module: mod, id: s.made.Add(1)}, nil
}

// release puts an instance back in the pool, or closes it if the pool is
// full.
func (s *server) release(ctx context.Context, inst *instance) {
	select {
	case s.idle <- inst:
	default:
		inst.Close(ctx)
	}
}

// call hands the request to the plugin's handle export through its memory
// and returns a copy of the response body.
func call(ctx context.Context, mod api.Module, reqLine string, body []byte) ([]byte, error) {
	free := mod.ExportedFunction("free")
	reqPtr, err := writeToGuest(ctx, mod, []byte(reqLine))
	if err != nil {
		return nil, err
	}
	defer free.Call(ctx, reqPtr)
	bodyPtr, err := writeToGuest(ctx, mod, body)
	if err != nil {
		return nil, err
	}
	defer free.Call(ctx, bodyPtr)

	res, err := mod.ExportedFunction("handle").Call(ctx,
		reqPtr, uint64(len(reqLine)), bodyPtr, uint64(len(body)))
	if err != nil {
		return nil, err
	}
	// handle returns the body as ptr<<32 | len, allocated with malloc.
	respPtr, respLen := uint32(res[0]>>32), uint32(res[0])
	view, ok := mod.Memory().Read(respPtr, respLen)
	if !ok {
		return nil, fmt.Errorf("response [%d, +%d) is outside the plugin's memory", respPtr, respLen)
	}
	resp := bytes.Clone(view) // the view is the plugin's memory: copy it before free
	if _, err := free.Call(ctx, uint64(respPtr)); err != nil {
		return nil, err
	}
	return resp, nil
}

// writeToGuest copies b into memory allocated with the plugin's malloc and
// returns its address (0 for an empty b). The caller frees it.
func writeToGuest(ctx context.Context, mod api.Module, b []byte) (uint64, error) {
	if len(b) == 0 {
		return 0, nil
	}
	res, err := mod.ExportedFunction("malloc").Call(ctx, uint64(len(b)))
	if err != nil {
		return 0, err
	}
	ptr := uint32(res[0])
	if ptr == 0 || !mod.Memory().Write(ptr, b) {
		return 0, fmt.Errorf("malloc(%d) failed in the plugin", len(b))
	}
	return uint64(ptr), nil
}
