import FileIO
import Testing

/// Expects `body` to throw an `InputError` at `line`:`column` whose message contains `fragment`:
/// the located-error check every test target shares.
public func expectInputError(line: Int, column: Int, containing fragment: String,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected an error containing \(fragment)", sourceLocation: sourceLocation)
    } catch let error as InputError {
        #expect(error.line == line && error.column == column, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(fragment), "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}
