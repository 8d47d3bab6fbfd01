/// The Sluice version, printed by `--version` and written into reports and images.
public enum SluiceBuild {
    public static let version = "0.1.0"
}
