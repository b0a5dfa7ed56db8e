import Diagnostics
import ExperimentDesign
import FileIO
import Numerics
import ValueTree

/// The output formats every command offers.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned text for a terminal.
    case table
    /// JSON, keys in a stable order, numbers in shortest round-trip form.
    case json
    /// CSV with a header row (tabular outputs; nested values are flattened with dotted keys).
    case csv
    /// YAML.
    case yaml
}

extension ReportValue {
    /// Renders the value in `format`. `table` needs a `TableLayout` for anything but
    /// simple objects; see `renderTable`.
    public func rendered(as format: OutputFormat) -> String {
        switch format {
        case .json: JSONWriter.render(self) + "\n"
        case .yaml: YAMLWriter.render(self)
        case .csv: CSVRenderer.render(self)
        case .table: TableWriter.render(self)
        }
    }
}
