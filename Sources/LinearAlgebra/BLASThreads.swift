import COpenBLAS
import Foundation

/// OpenBLAS's worker threads.
///
/// scaleplan's matrices are small (a law's few parameters, a pilot design's Fisher matrix),
/// where OpenBLAS runs single-threaded anyway; yet the pthreads build starts one worker per
/// core when the library loads, and each spins for about 0.1 s of CPU waiting for work,
/// competing with the planner's own threads. `useOne()` sets OpenBLAS to one thread and shuts
/// the idle workers down (`blas_thread_shutdown_`, looked up at run time because the serial
/// and OpenMP builds of OpenBLAS do not have it).
public enum BLASThreads {
    /// Runs every later BLAS and LAPACK call on the calling thread. Call once, early.
    public static func useOne() {
        openblas_set_num_threads(1)
        typealias Shutdown = @convention(c) () -> Int32
        guard let symbol = dlsym(nil, "blas_thread_shutdown_") else { return }
        _ = unsafeBitCast(symbol, to: Shutdown.self)()
    }
}
