package weft

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"sync"

	"github.com/weftwasm/weft/go/api"
)

// HostFunctionBuilder defines one Go function of a host module.
type HostFunctionBuilder interface {
	// WithGoFunction implements the function with fn, which reads its
	// params from the stack and writes its results there.
	WithGoFunction(fn api.GoFunction, params, results []api.ValueType) HostFunctionBuilder

	// WithGoModuleFunction is WithGoFunction for a function that needs the
	// calling module (to reach its memory).
	WithGoModuleFunction(fn api.GoModuleFunction, params, results []api.ValueType) HostFunctionBuilder

	// WithFunc implements the function with an ordinary Go func, whose
	// signature gives the Wasm type: an optional leading context.Context,
	// then an optional api.Module (the caller), then params of int32,
	// uint32 (i32), int64, uint64 (i64), float32, float64 or uintptr
	// (externref); results of the same types. It costs a reflective call
	// per invocation: WithGoModuleFunction is the fast path.
	WithFunc(interface{}) HostFunctionBuilder

	// WithName sets the function's name (default: its export name).
	WithName(name string) HostFunctionBuilder

	// WithParameterNames names the params, for definitions and logs.
	WithParameterNames(names ...string) HostFunctionBuilder

	// WithResultNames names the results.
	WithResultNames(names ...string) HostFunctionBuilder

	// Export adds the function to the module under name, replacing any
	// function exported with that name before.
	Export(name string) HostModuleBuilder
}

// HostModuleBuilder builds a module of Go functions that guests import by
// its name.
type HostModuleBuilder interface {
	// NewFunctionBuilder starts a function definition.
	NewFunctionBuilder() HostFunctionBuilder

	// Compile returns the module as a CompiledModule, for
	// Runtime.InstantiateModule.
	Compile(context.Context) (CompiledModule, error)

	// Instantiate compiles and instantiates the module under its name.
	Instantiate(context.Context) (api.Module, error)
}

// hostFuncSpec is a host function as built: its Go code and type.
type hostFuncSpec struct {
	exportName  string
	name        string
	params      []api.ValueType
	results     []api.ValueType
	paramNames  []string
	resultNames []string
	goModuleFn  api.GoModuleFunction // one of these three is set
	goFn        api.GoFunction
	reflectFn   *reflectFunc
	original    interface{} // what the user gave, for GoFunction()
	err         error       // a WithFunc signature we cannot map
}

type hostModuleSpec struct {
	name  string
	funcs []*hostFuncSpec // sorted by export name: the function index order
}

func (s *hostModuleSpec) definitions() *moduleDefinitions {
	d := &moduleDefinitions{
		exportedFuncs: map[string]api.FunctionDefinition{},
		exportedMems:  map[string]api.MemoryDefinition{},
		funcsByIndex:  map[uint32]*functionDefinition{},
	}
	for i, f := range s.funcs {
		fd := &functionDefinition{
			moduleName:  s.name,
			index:       uint32(i),
			name:        f.name,
			exportNames: []string{f.exportName},
			params:      f.params,
			results:     f.results,
			paramNames:  f.paramNames,
			resultNames: f.resultNames,
			goFunc:      f.original,
		}
		d.exportedFuncs[f.exportName] = fd
		d.funcsByIndex[fd.index] = fd
	}
	return d
}

type hostModuleBuilder struct {
	r     *runtime
	name  string
	funcs map[string]*hostFuncSpec
}

func (r *runtime) NewHostModuleBuilder(moduleName string) HostModuleBuilder {
	return &hostModuleBuilder{r: r, name: moduleName, funcs: map[string]*hostFuncSpec{}}
}

func (b *hostModuleBuilder) NewFunctionBuilder() HostFunctionBuilder {
	return &hostFunctionBuilder{b: b, spec: &hostFuncSpec{}}
}

func (b *hostModuleBuilder) Compile(context.Context) (CompiledModule, error) {
	spec := &hostModuleSpec{name: b.name}
	for _, f := range b.funcs {
		if f.err != nil {
			return nil, fmt.Errorf("func[%s.%s] %w", b.name, f.exportName, f.err)
		}
		spec.funcs = append(spec.funcs, f)
	}
	sort.Slice(spec.funcs, func(i, j int) bool { return spec.funcs[i].exportName < spec.funcs[j].exportName })
	if b.r.isClosed() {
		return nil, errRuntimeClosed
	}
	return &compiledModule{r: b.r, host: spec}, nil
}

func (b *hostModuleBuilder) Instantiate(ctx context.Context) (api.Module, error) {
	compiled, err := b.Compile(ctx)
	if err != nil {
		return nil, err
	}
	return b.r.InstantiateModule(ctx, compiled, NewModuleConfig().WithName(b.name))
}

type hostFunctionBuilder struct {
	b    *hostModuleBuilder
	spec *hostFuncSpec
}

func (h *hostFunctionBuilder) WithGoFunction(fn api.GoFunction, params, results []api.ValueType) HostFunctionBuilder {
	h.spec.goFn, h.spec.goModuleFn, h.spec.reflectFn = fn, nil, nil
	h.spec.params, h.spec.results, h.spec.original = params, results, fn
	return h
}

func (h *hostFunctionBuilder) WithGoModuleFunction(fn api.GoModuleFunction, params, results []api.ValueType) HostFunctionBuilder {
	h.spec.goModuleFn, h.spec.goFn, h.spec.reflectFn = fn, nil, nil
	h.spec.params, h.spec.results, h.spec.original = params, results, fn
	return h
}

func (h *hostFunctionBuilder) WithFunc(fn interface{}) HostFunctionBuilder {
	rf, err := newReflectFunc(fn)
	h.spec.goModuleFn, h.spec.goFn, h.spec.reflectFn, h.spec.err = nil, nil, rf, err
	h.spec.original = fn
	if rf != nil {
		h.spec.params, h.spec.results = rf.params, rf.results
	}
	return h
}

func (h *hostFunctionBuilder) WithName(name string) HostFunctionBuilder {
	h.spec.name = name
	return h
}

func (h *hostFunctionBuilder) WithParameterNames(names ...string) HostFunctionBuilder {
	h.spec.paramNames = names
	return h
}

func (h *hostFunctionBuilder) WithResultNames(names ...string) HostFunctionBuilder {
	h.spec.resultNames = names
	return h
}

func (h *hostFunctionBuilder) Export(exportName string) HostModuleBuilder {
	spec := *h.spec
	spec.exportName = exportName
	if spec.name == "" {
		spec.name = exportName
	}
	if spec.goFn == nil && spec.goModuleFn == nil && spec.reflectFn == nil && spec.err == nil {
		spec.err = errors.New("no Go function: call WithFunc, WithGoFunction or WithGoModuleFunction")
	}
	if spec.paramNames != nil && len(spec.paramNames) != len(spec.params) {
		spec.err = fmt.Errorf("got %d parameter names for %d parameters", len(spec.paramNames), len(spec.params))
	}
	h.b.funcs[exportName] = &spec
	return h.b
}

// ------------------------------------------------------------ WithFunc

var (
	contextType = reflect.TypeOf((*context.Context)(nil)).Elem()
	moduleType  = reflect.TypeOf((*api.Module)(nil)).Elem()
)

// reflectFunc is a Go func given to WithFunc, with its Wasm type.
type reflectFunc struct {
	fn               reflect.Value
	withCtx, withMod bool
	params, results  []api.ValueType
	paramKinds       []reflect.Type
	// Argument lists for fn.Call, reused: a call takes one, writes the
	// args into its values in place and gives it back, so the args cost
	// no allocation (a fresh list took one per argument and two more for
	// the context and module). A pool, since calls may run at once on
	// several goroutines, or nest through a host function calling back.
	args sync.Pool
}

// reflectArgs is one argument list of a reflectFunc: in's values are
// addressable (made by reflect.New), so the setters write them in place.
type reflectArgs struct {
	in     []reflect.Value
	params []reflect.Value  // the Wasm params: the tail of in
	ctx    *context.Context // in[0] when the func takes one
	mod    *api.Module      // in[0] or in[1] when the func takes one
}

func (rf *reflectFunc) newArgs() interface{} {
	a := &reflectArgs{}
	if rf.withCtx {
		v := reflect.New(contextType)
		a.ctx = v.Interface().(*context.Context)
		a.in = append(a.in, v.Elem())
	}
	if rf.withMod {
		v := reflect.New(moduleType)
		a.mod = v.Interface().(*api.Module)
		a.in = append(a.in, v.Elem())
	}
	for _, pt := range rf.paramKinds {
		a.in = append(a.in, reflect.New(pt).Elem())
	}
	a.params = a.in[len(a.in)-len(rf.paramKinds):]
	return a
}

func valueTypeOf(t reflect.Type) (api.ValueType, bool) {
	switch t.Kind() {
	case reflect.Int32, reflect.Uint32:
		return api.ValueTypeI32, true
	case reflect.Int64, reflect.Uint64:
		return api.ValueTypeI64, true
	case reflect.Float32:
		return api.ValueTypeF32, true
	case reflect.Float64:
		return api.ValueTypeF64, true
	case reflect.Uintptr:
		return api.ValueTypeExternref, true
	}
	return 0, false
}

func newReflectFunc(fn interface{}) (*reflectFunc, error) {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func {
		return nil, fmt.Errorf("kind != func: %s", v.Kind())
	}
	t := v.Type()
	rf := &reflectFunc{fn: v}
	rf.args.New = rf.newArgs
	i := 0
	if i < t.NumIn() && t.In(i).Implements(contextType) && t.In(i).Kind() == reflect.Interface {
		rf.withCtx = true
		i++
	}
	if i < t.NumIn() && t.In(i) == moduleType {
		rf.withMod = true
		i++
	}
	for ; i < t.NumIn(); i++ {
		vt, ok := valueTypeOf(t.In(i))
		if !ok {
			return nil, fmt.Errorf("param[%d] is unsupported: %s", i, t.In(i))
		}
		rf.params = append(rf.params, vt)
		rf.paramKinds = append(rf.paramKinds, t.In(i))
	}
	for i := 0; i < t.NumOut(); i++ {
		vt, ok := valueTypeOf(t.Out(i))
		if !ok {
			return nil, fmt.Errorf("result[%d] is unsupported: %s", i, t.Out(i))
		}
		rf.results = append(rf.results, vt)
	}
	return rf, nil
}

// call runs the func with params from stack and writes results there.
func (rf *reflectFunc) call(ctx context.Context, mod api.Module, stack []uint64) {
	a := rf.args.Get().(*reflectArgs)
	if a.ctx != nil {
		*a.ctx = ctx
	}
	if a.mod != nil {
		*a.mod = mod
	}
	for i, v := range a.params {
		raw := stack[i]
		switch v.Kind() {
		case reflect.Int32:
			v.SetInt(int64(int32(raw)))
		case reflect.Uint32:
			v.SetUint(uint64(uint32(raw)))
		case reflect.Int64:
			v.SetInt(int64(raw))
		case reflect.Uint64, reflect.Uintptr:
			v.SetUint(raw)
		case reflect.Float32:
			v.SetFloat(float64(api.DecodeF32(raw)))
		case reflect.Float64:
			v.SetFloat(api.DecodeF64(raw))
		}
	}
	// Given back even when fn panics (the panic becomes the call's error):
	// the context and module are dropped first, so that a pooled list
	// keeps neither alive.
	defer func() {
		if a.ctx != nil {
			*a.ctx = nil
		}
		if a.mod != nil {
			*a.mod = nil
		}
		rf.args.Put(a)
	}()
	for i, out := range rf.fn.Call(a.in) {
		switch out.Kind() {
		case reflect.Int32:
			stack[i] = api.EncodeI32(int32(out.Int()))
		case reflect.Int64:
			stack[i] = uint64(out.Int())
		case reflect.Uint32:
			stack[i] = uint64(uint32(out.Uint()))
		case reflect.Uint64, reflect.Uintptr:
			stack[i] = out.Uint()
		case reflect.Float32:
			stack[i] = api.EncodeF32(float32(out.Float()))
		case reflect.Float64:
			stack[i] = api.EncodeF64(out.Float())
		}
	}
}
