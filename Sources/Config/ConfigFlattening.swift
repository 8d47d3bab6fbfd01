import Yams

extension ConfigFile {
    /// Every scalar of the file as `section.key` (lists as `key[0]`) -> its text, as written;
    /// for recording a run's configuration as flat parameters (MLflow params).
    public func flattenedValues() -> [String: String] {
        var values: [String: String] = [:]
        func walk(_ node: Node, _ key: String) {
            switch node {
            case .scalar(let scalar):
                if !key.isEmpty { values[key] = scalar.string }
            case .mapping(let mapping):
                for (name, child) in mapping { walk(child, key.isEmpty ? name.string ?? "" : "\(key).\(name.string ?? "")") }
            case .sequence(let sequence):
                for (index, child) in sequence.enumerated() { walk(child, "\(key)[\(index)]") }
            case .alias:
                break
            }
        }
        walk(root, "")
        return values
    }
}
