/* GLPK settings on a problem shaped like scaleplan's month MILP (FleetSizer.sizeMonth): four
 * integer replica counts, a capacity row asked as a fraction of the peak (>= 1), one
 * availability-cap row, relative gap 1e-6 and integrality tolerance 1e-9 as the planner sets
 * them. The throughputs and prices are made up (they are not read from a scenario); the peak
 * runs over 97 values from 20 to 87 req/s. Prints microseconds per solve and branch-and-bound
 * nodes per solve for GLPK's default settings, each cut family and heuristic, the other
 * branching and backtracking rules, and an optimal incumbent handed to GLPK through its
 * callback (GLP_IHEUR), the best any warm start could do. Every variant's summed objective
 * must equal the default's (they solve the same MILPs).
 * Build and run: gcc -O2 bench/glpk_month_milp.c -lglpk -o /tmp/glpk_month_milp && /tmp/glpk_month_milp
 */
#include <glpk.h>
#include <stdio.h>
#include <time.h>

static const double rps[4] = {3.1, 5.7, 12.2, 8.0}, price[4] = {2.1, 4.0, 8.1, 6.0};
static const int solves = 4850;
static int nodes, given;
static double incumbent[97][5];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void callback(glp_tree *tree, void *info) {
    int reason = glp_ios_reason(tree);
    if (reason == GLP_ISELECT) nodes++;
    if (reason == GLP_IHEUR && info && !given) { given = 1; glp_ios_heur_sol(tree, (const double *)info); }
}

static glp_prob *month(double peak) {
    glp_prob *p = glp_create_prob();
    glp_set_obj_dir(p, GLP_MIN);
    glp_add_cols(p, 4);
    for (int j = 1; j <= 4; j++) {
        glp_set_col_kind(p, j, GLP_IV);
        glp_set_col_bnds(p, j, GLP_LO, 0, 0);
        glp_set_obj_coef(p, j, price[j - 1] * 730.5);
    }
    glp_add_rows(p, 2);
    int all[5] = {0, 1, 2, 3, 4};
    double capacity[5];
    for (int j = 1; j <= 4; j++) capacity[j] = rps[j - 1] / peak;
    glp_set_mat_row(p, 1, 4, all, capacity);
    glp_set_row_bnds(p, 1, GLP_LO, 1, 0);
    int capped[3] = {0, 2, 4};
    double devices[3] = {0, 2, 2};
    glp_set_mat_row(p, 2, 2, capped, devices);
    glp_set_row_bnds(p, 2, GLP_UP, 0, 64);
    return p;
}

int main(void) {
    glp_term_out(GLP_OFF);
    const char *names[] = {"default", "mir cuts", "gomory cuts", "cover cuts", "feasibility pump", "pseudocost branching",
                           "depth-first backtracking", "breadth-first backtracking", "best-projection backtracking",
                           "first-variable branching", "last-variable branching", "optimal incumbent given"};
    const int variants = 12;
    double reference = 0;
    for (int v = 0; v < variants; v++) {
        nodes = 0;
        double total = 0, start = now();
        for (int k = 0; k < solves; k++) {
            glp_prob *p = month(20 + (k % 97) * 0.7);
            glp_iocp parm;
            glp_init_iocp(&parm);
            parm.msg_lev = GLP_MSG_OFF;
            parm.presolve = GLP_ON;
            parm.mip_gap = 1e-6;
            parm.tol_int = 1e-9;
            parm.cb_func = callback;
            switch (v) {
            case 1: parm.mir_cuts = GLP_ON; break;
            case 2: parm.gmi_cuts = GLP_ON; break;
            case 3: parm.cov_cuts = GLP_ON; break;
            case 4: parm.fp_heur = GLP_ON; break;
            case 5: parm.br_tech = GLP_BR_PCH; break;
            case 6: parm.bt_tech = GLP_BT_DFS; break;
            case 7: parm.bt_tech = GLP_BT_BFS; break;
            case 8: parm.bt_tech = GLP_BT_BPH; break;
            case 9: parm.br_tech = GLP_BR_FFV; break;
            case 10: parm.br_tech = GLP_BR_LFV; break;
            case 11: parm.cb_info = incumbent[k % 97]; break;
            }
            given = 0;
            glp_intopt(p, &parm);
            total += glp_mip_obj_val(p);
            if (v == 0) for (int j = 1; j <= 4; j++) incumbent[k % 97][j] = glp_mip_col_val(p, j);
            glp_delete_prob(p);
        }
        double us = (now() - start) / solves * 1e6;
        if (v == 0) reference = total;
        printf("%-30s %7.1f us/solve  %5.1f nodes/solve  %s\n", names[v], us, (double)nodes / solves,
               total == reference ? "same optima" : "DIFFERENT OPTIMA");
    }
    return 0;
}
