import CGLPK
import Foundation

/// Per-thread bookkeeping of GLPK's thread-local environment.
///
/// After an internal error the shim frees the calling thread's environment (as GLPK's manual
/// requires), which destroys every problem object created on that thread. `generation`
/// counts those losses per thread, so a `GLPKProblem` can tell that its handle is gone and
/// must not be deleted or used again. GLPK's terminal output (it forces output on to report
/// an internal error) goes to a hook that keeps the last text per thread and prints nothing.
enum GLPKEnvironment {
    private static let generationKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// How many times this thread's environment was freed after an internal error.
    static var generation: Int { Int(bitPattern: pthread_getspecific(generationKey)) }

    /// Records that this thread's environment was freed.
    static func lost() { pthread_setspecific(generationKey, UnsafeRawPointer(bitPattern: generation + 1)) }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var output: [pthread_t: String] = [:]

    /// Installs the output hook in this thread's environment (which exists once a problem does).
    static func captureOutput() { glp_term_hook(hook, nil) }

    /// What GLPK printed on this thread since `clearOutput()`, trimmed; nil when nothing.
    static var lastOutput: String? {
        lock.lock()
        defer { lock.unlock() }
        let text = output[pthread_self()]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? nil : text
    }

    static func clearOutput() {
        lock.lock()
        output[pthread_self()] = nil
        lock.unlock()
    }

    /// GLPK's terminal hook: keep the text (the last 1,000 characters), print nothing.
    private static let hook: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32 = { _, text in
        guard let text else { return 1 }
        let piece = String(cString: text)
        lock.lock()
        let all = (output[pthread_self()] ?? "") + piece
        output[pthread_self()] = String(all.suffix(1000))
        lock.unlock()
        return 1
    }
}
