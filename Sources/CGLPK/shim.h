/* scaleplan's bridge to GLPK.
 *
 * GLPK reports internal errors (bad indices, corrupt problems, out of memory) by
 * calling an error hook and, if that hook returns, by aborting the process. Every
 * call that can reach such an error goes through a guarded wrapper below: the
 * wrapper sets a recovery point with setjmp in its own C frame, installs a hook
 * that jumps back to it, and on an error frees this thread's GLPK environment
 * (as the GLPK manual requires) and returns SP_GLP_INTERNAL_ERROR instead.
 * After that every problem object created on this thread is gone; the Swift side
 * (GLPKEnvironment) counts these losses per thread so it does not delete them again.
 * The count lives in Swift, not here: a static variable in this header would have
 * one copy per object file that inlines these functions, not one per thread.
 */
#ifndef SCALEPLAN_CGLPK_SHIM_H
#define SCALEPLAN_CGLPK_SHIM_H

#include <glpk.h>
#include <setjmp.h>

#define SP_GLP_INTERNAL_ERROR (-1)

typedef struct sp_glp_recovery { jmp_buf point; } sp_glp_recovery;

static void sp_glp_jump_back(void *info) {
    longjmp(((sp_glp_recovery *)info)->point, 1);
}

static inline void sp_glp_recover(void) {
    glp_error_hook(NULL, NULL);
    glp_free_env();
}

/* Creates a problem with terminal output off. Returns NULL on an internal error. */
static inline glp_prob *sp_glp_create_prob(void) {
    sp_glp_recovery r;
    if (setjmp(r.point)) { sp_glp_recover(); return NULL; }
    glp_error_hook(sp_glp_jump_back, &r);
    glp_term_out(GLP_OFF);
    glp_prob *p = glp_create_prob();
    glp_error_hook(NULL, NULL);
    return p;
}

static inline int sp_glp_simplex(glp_prob *p, const glp_smcp *parm) {
    sp_glp_recovery r;
    if (setjmp(r.point)) { sp_glp_recover(); return SP_GLP_INTERNAL_ERROR; }
    glp_error_hook(sp_glp_jump_back, &r);
    int code = glp_simplex(p, parm);
    glp_error_hook(NULL, NULL);
    return code;
}

static inline int sp_glp_intopt(glp_prob *p, const glp_iocp *parm) {
    sp_glp_recovery r;
    if (setjmp(r.point)) { sp_glp_recover(); return SP_GLP_INTERNAL_ERROR; }
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
    glp_error_hook(sp_glp_jump_back, &r);
    glp_set_mat_row(p, i, len, ind, val);
    glp_error_hook(NULL, NULL);
    return 0;
}

/* Initialises simplex / MIP control parameters with all messages off. */
static inline void sp_glp_quiet_smcp(glp_smcp *parm) { glp_init_smcp(parm); parm->msg_lev = GLP_MSG_OFF; }
static inline void sp_glp_quiet_iocp(glp_iocp *parm) { glp_init_iocp(parm); parm->msg_lev = GLP_MSG_OFF; }

#endif
