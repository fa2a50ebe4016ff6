/* interp — an interpreter inside the interpreter: a small stack-based
 * bytecode VM (switch dispatch, call frames, locals) written in C, running
 * a program that counts primes by trial division and sums Collatz chain
 * lengths. Measures how well the host interpreter runs the indirect
 * branches and memory traffic typical of an interpreter loop. */
#include "bench.h"

#define VM_LIMIT 25000   /* the bytecode program's loop bound */
#define VM_CODE_MAX 256
#define VM_STACK_MAX 256
#define VM_FRAMES_MAX 64
#define VM_LOCALS_MAX 1024

enum {
    OP_HALT,  /* stop; the result is the top of the stack */
    OP_PUSH,  /* push imm */
    OP_LOAD,  /* push local[imm] */
    OP_STORE, /* local[imm] := pop */
    OP_INC,   /* local[imm] += imm2 */
    OP_ADD, OP_SUB, OP_MUL, OP_REM, OP_DIV2, /* binary ops on the top two; DIV2 halves the top */
    OP_LT, OP_GT, OP_EQ,                     /* compare the top two, push 0/1 */
    OP_JMP,   /* pc := imm */
    OP_JZ,    /* if pop == 0: pc := imm */
    OP_CALL,  /* call imm with imm2 arguments and imm3 locals in all */
    OP_RET,   /* return the top of the stack to the caller */
};

static int32_t code[VM_CODE_MAX];
static int32_t ncode;

static int32_t emit(int32_t op) { code[ncode] = op; return ncode++; }
static int32_t here(void) { return ncode; }
static void patch(int32_t at, int32_t target) { code[at] = target; }

/* Assembles the program; returns the entry point. */
static int32_t assemble(void)
{
    ncode = 0;

    /* isprime(x): locals x, d */
    int32_t f_isprime = here();
    emit(OP_PUSH); emit(2); emit(OP_STORE); emit(1);
    int32_t l_test = here();
    emit(OP_LOAD); emit(1); emit(OP_LOAD); emit(1); emit(OP_MUL);
    emit(OP_LOAD); emit(0); emit(OP_GT); emit(OP_JZ); int32_t j_more = emit(0);
    emit(OP_PUSH); emit(1); emit(OP_RET);                   /* d*d > x: prime */
    patch(j_more, here());
    emit(OP_LOAD); emit(0); emit(OP_LOAD); emit(1); emit(OP_REM);
    emit(OP_JZ); int32_t j_not = emit(0);
    emit(OP_INC); emit(1); emit(1); emit(OP_JMP); emit(l_test);
    patch(j_not, here());
    emit(OP_PUSH); emit(0); emit(OP_RET);

    /* collatz(x): locals x, steps */
    int32_t f_collatz = here();
    int32_t l_step = here();
    emit(OP_LOAD); emit(0); emit(OP_PUSH); emit(1); emit(OP_GT);
    emit(OP_JZ); int32_t j_done = emit(0);
    emit(OP_INC); emit(1); emit(1);
    emit(OP_LOAD); emit(0); emit(OP_PUSH); emit(2); emit(OP_REM);
    emit(OP_JZ); int32_t j_even = emit(0);
    emit(OP_LOAD); emit(0); emit(OP_PUSH); emit(3); emit(OP_MUL); emit(OP_PUSH); emit(1); emit(OP_ADD);
    emit(OP_STORE); emit(0); emit(OP_JMP); emit(l_step);
    patch(j_even, here());
    emit(OP_LOAD); emit(0); emit(OP_DIV2); emit(OP_STORE); emit(0); emit(OP_JMP); emit(l_step);
    patch(j_done, here());
    emit(OP_LOAD); emit(1); emit(OP_RET);

    /* main: locals n, primes, steps */
    int32_t entry = here();
    emit(OP_PUSH); emit(2); emit(OP_STORE); emit(0);
    int32_t l_loop = here();
    emit(OP_LOAD); emit(0); emit(OP_PUSH); emit(VM_LIMIT); emit(OP_LT);
    emit(OP_JZ); int32_t j_end = emit(0);
    emit(OP_LOAD); emit(0); emit(OP_CALL); emit(f_isprime); emit(1); emit(2);
    emit(OP_LOAD); emit(1); emit(OP_ADD); emit(OP_STORE); emit(1);
    emit(OP_LOAD); emit(0); emit(OP_CALL); emit(f_collatz); emit(1); emit(2);
    emit(OP_LOAD); emit(2); emit(OP_ADD); emit(OP_STORE); emit(2);
    emit(OP_INC); emit(0); emit(1); emit(OP_JMP); emit(l_loop);
    patch(j_end, here());
    emit(OP_LOAD); emit(1); emit(OP_PUSH); emit(1000000); emit(OP_MUL);
    emit(OP_LOAD); emit(2); emit(OP_ADD); emit(OP_HALT);
    return entry;
}

typedef struct {
    int32_t ret_pc, base;
} frame;

/* Runs the program from entry. Values are unsigned so that wrap-around is
 * defined, as in Wasm. */
static uint32_t execute(int32_t entry)
{
    uint32_t stack[VM_STACK_MAX], locals[VM_LOCALS_MAX];
    frame frames[VM_FRAMES_MAX];
    int32_t sp = 0, fp = 0, base = 0, pc = entry;
    memset(locals, 0, sizeof locals);
    int32_t top_locals = 3; /* main's */
    for (;;) {
        int32_t op = code[pc++];
        switch (op) {
        case OP_HALT: return stack[sp - 1];
        case OP_PUSH: stack[sp++] = (uint32_t)code[pc++]; break;
        case OP_LOAD: stack[sp++] = locals[base + code[pc++]]; break;
        case OP_STORE: locals[base + code[pc++]] = stack[--sp]; break;
        case OP_INC: locals[base + code[pc]] += (uint32_t)code[pc + 1]; pc += 2; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_REM: sp--; stack[sp - 1] %= stack[sp]; break;
        case OP_DIV2: stack[sp - 1] /= 2; break;
        case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_GT: sp--; stack[sp - 1] = stack[sp - 1] > stack[sp]; break;
        case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case OP_JMP: pc = code[pc]; break;
        case OP_JZ: pc = stack[--sp] ? pc + 1 : code[pc]; break;
        case OP_CALL: {
            int32_t target = code[pc], nargs = code[pc + 1], nlocals = code[pc + 2];
            if (fp == VM_FRAMES_MAX || base + top_locals + nlocals > VM_LOCALS_MAX)
                return 0xffffffffu;
            frames[fp].ret_pc = pc + 3;
            frames[fp].base = base;
            fp++;
            base += top_locals;
            top_locals = nlocals;
            for (int32_t i = nargs - 1; i >= 0; i--)
                locals[base + i] = stack[--sp];
            for (int32_t i = nargs; i < nlocals; i++)
                locals[base + i] = 0;
            pc = target;
            break;
        }
        case OP_RET: {
            fp--;
            top_locals = base - frames[fp].base;
            base = frames[fp].base;
            pc = frames[fp].ret_pc;
            break;
        }
        default: return 0xfffffffeu;
        }
    }
}

static uint32_t bench(void)
{
    return execute(assemble());
}

BENCH_ENTRY(bench)
