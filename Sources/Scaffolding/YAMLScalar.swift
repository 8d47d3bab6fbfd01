import Foundation

/// Writes user-given text (column names, paths, class labels) as a YAML scalar that reads
/// back as the same string: plain when that is unambiguous, double-quoted otherwise.
enum YAMLScalar {
    /// Words YAML 1.1 or 1.2 readers would take for something other than text.
    static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]

    static func text(_ value: String) -> String {
        let lowered = value.lowercased()
        let plain = value.range(of: #"^[A-Za-z_./][A-Za-z0-9_./-]*$"#, options: .regularExpression) != nil
        let number = lowered.range(of: #"^\.([0-9]|inf$|nan$)"#, options: .regularExpression) != nil  // .5, .inf, .nan
        if plain && !number && !reserved.contains(lowered) { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20: quoted += String(format: "\\x%02X", scalar.value)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
