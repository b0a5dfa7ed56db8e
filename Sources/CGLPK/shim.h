/* scaleplan's bridge to GLPK.
 *
 * GLPK reports internal errors (bad indices, corrupt problems, out of memory) by
 * calling an error hook and, if that hook returns, by aborting the process. Every
 * call that can reach such an error goes through a guarded wrapper below: the
 * wrapper sets a recovery point with setjmp in its own C frame, installs a hook
 * that jumps back to it, and on an error frees this thread's GLPK environment
 * (as the GLPK manual requires) and returns SP_GLP_INTERNAL_ERROR instead.
 * After that every problem object created on this thread is gone; the
 * environment generation counter tells the Swift side not to delete them again.
 */
#ifndef SCALEPLAN_CGLPK_SHIM_H
#define SCALEPLAN_CGLPK_SHIM_H

#include <glpk.h>
#include <setjmp.h>
#include <string.h>

#define SP_GLP_INTERNAL_ERROR (-1)

typedef struct sp_glp_recovery { jmp_buf point; } sp_glp_recovery;

static void sp_glp_jump_back(void *info) {
    longjmp(((sp_glp_recovery *)info)->point, 1);
}

static _Thread_local unsigned long sp_glp_generation_counter = 0;

/* GLPK switches terminal output back on to report an internal error, and would print it on
 * standard output. This hook takes all of GLPK's output instead: it keeps the last 511
 * bytes on this thread (the error message, for GLPKProblem.lastInternalError) and prints
 * nothing (a non-zero return tells GLPK the text was handled). */
#define SP_GLP_MESSAGE_SIZE 512

static inline char *sp_glp_message(void) {
    static _Thread_local char buffer[SP_GLP_MESSAGE_SIZE];
    return buffer;
}

static int sp_glp_swallow_output(void *info, const char *text) {
    (void)info;
    char *message = sp_glp_message();
    size_t have = strlen(message), add = strlen(text);
    if (have + add >= SP_GLP_MESSAGE_SIZE) { have = 0; message[0] = 0; }
    if (add >= SP_GLP_MESSAGE_SIZE) { text += add - (SP_GLP_MESSAGE_SIZE - 1); add = SP_GLP_MESSAGE_SIZE - 1; }
    memcpy(message + have, text, add);
    message[have + add] = 0;
    return 1;
}

/* The text GLPK printed last on this thread (its last internal error), or "". */
static inline const char *sp_glp_last_message(void) { return sp_glp_message(); }

/* The number of times this thread's GLPK environment was freed after an error. */
static inline unsigned long sp_glp_generation(void) { return sp_glp_generation_counter; }

static inline void sp_glp_recover(void) {
    glp_error_hook(NULL, NULL);
    glp_free_env();
    sp_glp_generation_counter += 1;
}

/* Creates a problem with terminal output off. Returns NULL on an internal error. */
static inline glp_prob *sp_glp_create_prob(void) {
    sp_glp_recovery r;
    if (setjmp(r.point)) { sp_glp_recover(); return NULL; }
    glp_error_hook(sp_glp_jump_back, &r);
    glp_term_out(GLP_OFF);
    glp_term_hook(sp_glp_swallow_output, NULL);
    glp_prob *p = glp_create_prob();
    glp_error_hook(NULL, NULL);
    return p;
}

static inline int sp_glp_simplex(glp_prob *p, const glp_smcp *parm) {
    sp_glp_recovery r;
    if (setjmp(r.point)) { sp_glp_recover(); return SP_GLP_INTERNAL_ERROR; }
    sp_glp_message()[0] = 0;
    glp_error_hook(sp_glp_jump_back, &r);
    int code = glp_simplex(p, parm);
    glp_error_hook(NULL, NULL);
    return code;
}

static inline int sp_glp_intopt(glp_prob *p, const glp_iocp *parm) {
    sp_glp_recovery r;
    if (setjmp(r.point)) { sp_glp_recover(); return SP_GLP_INTERNAL_ERROR; }
    sp_glp_message()[0] = 0;
    glp_error_hook(sp_glp_jump_back, &r);
    int code = glp_intopt(p, parm);
    glp_error_hook(NULL, NULL);
    return code;
}

/* Sets row i's coefficients; returns 0, or SP_GLP_INTERNAL_ERROR (for example on
 * a duplicate column index, which GLPK treats as fatal). */
static inline int sp_glp_set_mat_row(glp_prob *p, int i, int len, const int ind[], const double val[]) {
    sp_glp_recovery r;
    if (setjmp(r.point)) { sp_glp_recover(); return SP_GLP_INTERNAL_ERROR; }
    sp_glp_message()[0] = 0;
    glp_error_hook(sp_glp_jump_back, &r);
    glp_set_mat_row(p, i, len, ind, val);
    glp_error_hook(NULL, NULL);
    return 0;
}

/* Initialises simplex / MIP control parameters with all messages off. */
static inline void sp_glp_quiet_smcp(glp_smcp *parm) { glp_init_smcp(parm); parm->msg_lev = GLP_MSG_OFF; }
static inline void sp_glp_quiet_iocp(glp_iocp *parm) { glp_init_iocp(parm); parm->msg_lev = GLP_MSG_OFF; }

#endif
