import Config

/// What one pipeline kind may do: which triggers can fire, and whether a passing candidate
/// is packaged, pushed and promoted. Part of the `modes:` section of `sluice.yml`.
public struct ModePolicy: Decodable, Equatable, Sendable {
    /// Triggers that can start training in this mode.
    public var triggers: Set<TriggerKind>
    /// Write the OCI image layout of a passing candidate.
    public var package: Bool
    /// Push the image to the configured registry.
    public var push: Bool
    /// Move the champion tag to the pushed image.
    public var promote: Bool
    /// Post or update the merge request comment.
    public var post: Bool

    public init(triggers: Set<TriggerKind>, package: Bool, push: Bool, promote: Bool, post: Bool) {
        self.triggers = triggers
        self.package = package
        self.push = push
        self.promote = promote
        self.post = post
    }

    /// Decodes the keys present over `defaults`, so a user changes only what differs.
    init(from decoder: Decoder, defaults: ModePolicy) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let listed = try c.decodeIfPresent([TriggerKind].self, forKey: .triggers)
        triggers = listed.map(Set.init) ?? defaults.triggers
        package = try c.decodeIfPresent(Bool.self, forKey: .package) ?? defaults.package
        push = try c.decodeIfPresent(Bool.self, forKey: .push) ?? defaults.push
        promote = try c.decodeIfPresent(Bool.self, forKey: .promote) ?? defaults.promote
        post = try c.decodeIfPresent(Bool.self, forKey: .post) ?? defaults.post
        if promote && !push {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [CodingKeys.promote], debugDescription: "promote: true needs push: true; only a pushed image can become the champion"))
        }
    }

    public init(from decoder: Decoder) throws {
        try self.init(from: decoder, defaults: ModePolicy(triggers: [], package: false, push: false, promote: false, post: false))
    }

    enum CodingKeys: String, CodingKey { case triggers, package, push, promote, post }

    /// Merge requests: train on relevant changes or triggers, report, never promote.
    public static let mergeRequestDefault = ModePolicy(triggers: [.changedPaths, .drift, .accuracyDecay, .noChampion, .force], package: true, push: false, promote: false, post: true)
    /// Nightly: retrain when a trigger fires, push and promote a passing candidate.
    public static let nightlyDefault = ModePolicy(triggers: [.drift, .accuracyDecay, .schedule, .noChampion, .force], package: true, push: true, promote: true, post: false)
    /// Branch pushes: train on relevant changes or triggers, push, do not promote.
    public static let pushDefault = ModePolicy(triggers: [.changedPaths, .drift, .accuracyDecay, .noChampion, .force], package: true, push: true, promote: false, post: false)
}

/// The `modes:` section: a policy per pipeline kind, each defaulting as documented.
public struct ModeSettings: Decodable, Equatable, Sendable {
    public var mr: ModePolicy
    public var nightly: ModePolicy
    public var push: ModePolicy

    public init(mr: ModePolicy = .mergeRequestDefault, nightly: ModePolicy = .nightlyDefault, push: ModePolicy = .pushDefault) {
        self.mr = mr
        self.nightly = nightly
        self.push = push
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: PipelineMode.self)
        mr = try c.contains(.mr) ? ModePolicy(from: try c.superDecoder(forKey: .mr), defaults: .mergeRequestDefault) : .mergeRequestDefault
        nightly = try c.contains(.nightly) ? ModePolicy(from: try c.superDecoder(forKey: .nightly), defaults: .nightlyDefault) : .nightlyDefault
        push = try c.contains(.push) ? ModePolicy(from: try c.superDecoder(forKey: .push), defaults: .pushDefault) : .pushDefault
    }

    /// The policy of `mode`.
    public func policy(for mode: PipelineMode) -> ModePolicy {
        switch mode {
        case .mr: return mr
        case .nightly: return nightly
        case .push: return push
        }
    }
}

extension PipelineMode: CodingKey {}
extension TriggerKind: ConfigChoice {}
