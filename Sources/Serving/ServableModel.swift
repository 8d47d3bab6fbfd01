/// What `Serving` needs from a model, so it never depends on how the model was trained: the
/// command line wires `Training`'s built-in model to it (the same prediction code as
/// `sluice predict`).
public protocol ServableModel: Sendable {
    /// The inputs and outputs the model takes and gives.
    var signature: ModelSignature { get }
    /// One output per row; a row maps feature names to cell texts, as in a CSV file.
    func predict(_ rows: [[String: String]]) throws -> [RowOutput]
}

/// One row's answer: a classifier's positive-class score and predicted class, or a
/// regression's value (`label` nil).
public struct RowOutput: Equatable, Sendable {
    public var value: Double
    public var label: String?

    public init(value: Double, label: String?) {
        self.value = value
        self.label = label
    }
}

/// A model's inputs and outputs in the terms of the Open Inference Protocol.
public struct ModelSignature: Equatable, Sendable {
    /// Whether the model is a classifier (outputs `prediction` as the class and `score`) or
    /// a regressor (outputs `prediction` as a number).
    public enum Task: String, Sendable { case classification, regression }

    public var task: Task
    /// One input tensor per feature column, in the model's order.
    public var features: [FeatureInput]
    /// The cell text that means "missing" (a JSON null in a row).
    public var missingText: String

    public init(task: Task, features: [FeatureInput], missingText: String) {
        self.task = task
        self.features = features
        self.missingText = missingText
    }

    /// The output tensors, in the order responses list them.
    public var outputs: [TensorMetadata] {
        switch task {
        case .classification:
            return [.init(name: OutputName.prediction, datatype: .bytes), .init(name: OutputName.score, datatype: .fp64)]
        case .regression:
            return [.init(name: OutputName.prediction, datatype: .fp64)]
        }
    }

    /// The input tensors, as model metadata lists them.
    public var inputs: [TensorMetadata] {
        features.map { TensorMetadata(name: $0.name, datatype: $0.kind.datatype) }
    }
}

/// Names of the output tensors.
public enum OutputName {
    public static let prediction = "prediction"
    public static let score = "score"
}

/// One feature column of the model and the tensor type it accepts.
public struct FeatureInput: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A number (any numeric tensor type).
        case number
        /// A boolean: `BOOL` values become the model's texts for true and false.
        case boolean(trueText: String, falseText: String)
        /// A category or text (`BYTES`).
        case text

        /// The datatype model metadata declares.
        public var datatype: Datatype {
            switch self {
            case .number: return .fp64
            case .boolean: return .bool
            case .text: return .bytes
            }
        }
    }

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// A tensor's name, datatype and shape (a variable batch dimension, -1).
public struct TensorMetadata: Equatable, Sendable, Encodable {
    public var name: String
    public var datatype: Datatype
    public var shape: [Int] = [-1]

    public init(name: String, datatype: Datatype) {
        self.name = name
        self.datatype = datatype
    }
}

/// The Open Inference Protocol's tensor datatypes.
public enum Datatype: String, Sendable, Codable, CaseIterable {
    case bool = "BOOL"
    case uint8 = "UINT8", uint16 = "UINT16", uint32 = "UINT32", uint64 = "UINT64"
    case int8 = "INT8", int16 = "INT16", int32 = "INT32", int64 = "INT64"
    case fp16 = "FP16", fp32 = "FP32", fp64 = "FP64"
    case bytes = "BYTES"

    /// Whether values of this type are numbers.
    var isNumeric: Bool { self != .bool && self != .bytes }
    /// Whether values of this type must be whole numbers.
    var isInteger: Bool { isNumeric && ![.fp16, .fp32, .fp64].contains(self) }
}
