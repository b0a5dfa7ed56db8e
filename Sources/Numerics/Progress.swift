/// Reports how far a long computation has got: `completed` of `total` units of work (fit
/// rounds, bootstrap resamples, frontier points). Called from the computing thread, possibly
/// several threads one at a time; it must be cheap and must not call back into the library.
/// Library modules never print, so the CLI passes one of these to draw a progress bar.
public typealias ProgressHandler = @Sendable (_ completed: Int, _ total: Int) -> Void
