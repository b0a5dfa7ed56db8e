import FileIO
import Scenario
import Testing

/// Expects `body` to throw an `InputError` at `line`:`column` whose message contains `fragment`.
func expectInputError(line: Int, column: Int, containing fragment: String,
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
