package weft

/*
#include "weft.h"
*/
import "C"

import (
	"fmt"

	"github.com/weftwasm/weft/go/api"
)

// moduleDefinitions describes a module's imports and exports.
type moduleDefinitions struct {
	importedFuncs []api.FunctionDefinition
	exportedFuncs map[string]api.FunctionDefinition
	importedMems  []api.MemoryDefinition
	exportedMems  map[string]api.MemoryDefinition
	funcsByIndex  map[uint32]*functionDefinition
}

// readDefinitions reads them from a compiled C module.
func readDefinitions(mod *C.weft_module, moduleName string) *moduleDefinitions {
	d := &moduleDefinitions{
		exportedFuncs: map[string]api.FunctionDefinition{},
		exportedMems:  map[string]api.MemoryDefinition{},
		funcsByIndex:  map[uint32]*functionDefinition{},
	}
	var funcIndex, memIndex uint32
	for i := C.size_t(0); i < C.weft_module_import_count(mod); i++ {
		var mlen, nlen C.size_t
		importModule := C.GoStringN(C.weft_module_import_module(mod, i, &mlen), C.int(mlen))
		importName := C.GoStringN(C.weft_module_import_name(mod, i, &nlen), C.int(nlen))
		switch C.weft_module_import_kind(mod, i) {
		case C.WEFT_EXTERN_FUNC:
			fd := newFunctionDefinition(moduleName, funcIndex, C.weft_module_import_functype(mod, i))
			fd.importModule, fd.importName, fd.isImport = importModule, importName, true
			fd.name = funcName(mod, funcIndex)
			d.importedFuncs = append(d.importedFuncs, fd)
			d.funcsByIndex[funcIndex] = fd
			funcIndex++
		case C.WEFT_EXTERN_MEMORY:
			md := &memoryDefinition{moduleName: moduleName, index: memIndex}
			md.importModule, md.importName, md.isImport = importModule, importName, true
			md.readLimits(func(min, max *C.uint64_t) C.int { return C.weft_module_import_limits(mod, i, min, max) })
			d.importedMems = append(d.importedMems, md)
			memIndex++
		}
	}
	for i := C.size_t(0); i < C.weft_module_export_count(mod); i++ {
		var nlen C.size_t
		name := C.GoStringN(C.weft_module_export_name(mod, i, &nlen), C.int(nlen))
		index := uint32(C.weft_module_export_index(mod, i))
		switch C.weft_module_export_kind(mod, i) {
		case C.WEFT_EXTERN_FUNC:
			fd, ok := d.funcsByIndex[index]
			if !ok {
				fd = newFunctionDefinition(moduleName, index, C.weft_module_export_functype(mod, i))
				fd.name = funcName(mod, index)
				d.funcsByIndex[index] = fd
			}
			fd.exportNames = append(fd.exportNames, name)
			d.exportedFuncs[name] = fd
		case C.WEFT_EXTERN_MEMORY:
			md := &memoryDefinition{moduleName: moduleName, index: index, exportNames: []string{name}}
			md.readLimits(func(min, max *C.uint64_t) C.int { return C.weft_module_export_limits(mod, i, min, max) })
			d.exportedMems[name] = md
		}
	}
	return d
}

func funcName(mod *C.weft_module, index uint32) string {
	if n := C.weft_module_func_name(mod, C.uint32_t(index)); n != nil {
		return C.GoString(n)
	}
	return ""
}

// valueTypes reads a function type's params or results.
func valueTypes(ft *C.weft_functype, results bool) []api.ValueType {
	var n C.size_t
	if results {
		n = C.weft_functype_result_count(ft)
	} else {
		n = C.weft_functype_param_count(ft)
	}
	types := make([]api.ValueType, n)
	for i := range types {
		if results {
			types[i] = api.ValueType(C.weft_functype_result(ft, C.size_t(i)))
		} else {
			types[i] = api.ValueType(C.weft_functype_param(ft, C.size_t(i)))
		}
	}
	return types
}

type functionDefinition struct {
	moduleName               string
	index                    uint32
	name                     string
	importModule, importName string
	isImport                 bool
	exportNames              []string
	params, results          []api.ValueType
	paramNames, resultNames  []string
	goFunc                   interface{}
}

func newFunctionDefinition(moduleName string, index uint32, ft *C.weft_functype) *functionDefinition {
	return &functionDefinition{
		moduleName: moduleName,
		index:      index,
		params:     valueTypes(ft, false),
		results:    valueTypes(ft, true),
	}
}

func (d *functionDefinition) ModuleName() string { return d.moduleName }
func (d *functionDefinition) Index() uint32      { return d.index }
func (d *functionDefinition) Import() (string, string, bool) {
	return d.importModule, d.importName, d.isImport
}
func (d *functionDefinition) ExportNames() []string        { return d.exportNames }
func (d *functionDefinition) Name() string                 { return d.name }
func (d *functionDefinition) GoFunction() interface{}      { return d.goFunc }
func (d *functionDefinition) ParamTypes() []api.ValueType  { return d.params }
func (d *functionDefinition) ParamNames() []string         { return d.paramNames }
func (d *functionDefinition) ResultTypes() []api.ValueType { return d.results }
func (d *functionDefinition) ResultNames() []string        { return d.resultNames }

func (d *functionDefinition) DebugName() string {
	if d.name != "" {
		return d.moduleName + "." + d.name
	}
	return fmt.Sprintf("%s.$%d", d.moduleName, d.index)
}

// stackLen is the length of the uint64 stack a call needs.
func (d *functionDefinition) stackLen() int {
	p, r := slotCount(d.params), slotCount(d.results)
	if p > r {
		return p
	}
	return r
}

// slotCount counts uint64 stack entries (v128 takes two).
func slotCount(types []api.ValueType) int {
	n := len(types)
	for _, t := range types {
		if t == api.ValueTypeV128 {
			n++
		}
	}
	return n
}

type memoryDefinition struct {
	moduleName               string
	index                    uint32
	importModule, importName string
	isImport                 bool
	exportNames              []string
	min, max                 uint32
	hasMax                   bool
}

func (d *memoryDefinition) readLimits(read func(min, max *C.uint64_t) C.int) {
	var min, max C.uint64_t
	if read(&min, &max) != 0 {
		d.min = uint32(min)
		if uint64(max) != ^uint64(0) {
			d.max, d.hasMax = uint32(max), true
		} else {
			d.max = maxMemoryPages
		}
	}
}

func (d *memoryDefinition) ModuleName() string { return d.moduleName }
func (d *memoryDefinition) Index() uint32      { return d.index }
func (d *memoryDefinition) Import() (string, string, bool) {
	return d.importModule, d.importName, d.isImport
}
func (d *memoryDefinition) ExportNames() []string { return d.exportNames }
func (d *memoryDefinition) Min() uint32           { return d.min }
func (d *memoryDefinition) Max() (uint32, bool)   { return d.max, d.hasMax }
