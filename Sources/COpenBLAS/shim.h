/* scaleplan's bridge to OpenBLAS: CBLAS from its header, plus the LAPACK routines
 * we call. Debian's libopenblas carries LAPACK inside it, so the Fortran-style
 * prototypes are declared here rather than pulling in LAPACKE. */
#ifndef SCALEPLAN_COPENBLAS_SHIM_H
#define SCALEPLAN_COPENBLAS_SHIM_H

#include <cblas.h>

/* Solves A X = B for a general square A (LU with partial pivoting). */
void dgesv_(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv,
            double *b, const int *ldb, int *info);
/* Solves A X = B for a symmetric positive definite A (Cholesky). */
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda,
            double *b, const int *ldb, int *info);
/* Least squares min |A x - b| for a full-rank A (QR). */
void dgels_(const char *trans, const int *m, const int *n, const int *nrhs, double *a,
            const int *lda, double *b, const int *ldb, double *work, const int *lwork,
            int *info);
/* Eigenvalues (and optionally vectors) of a symmetric matrix. */
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *w, double *work, const int *lwork, int *info);

/* Cholesky factorisation A = L L^T of a symmetric positive definite A. */
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
/* Solves A X = B with the factor from dpotrf. */
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda,
             double *b, const int *ldb, int *info);
/* Inverse of A from the factor from dpotrf (one triangle written). */
void dpotri_(const char *uplo, const int *n, double *a, const int *lda, int *info);

#endif
