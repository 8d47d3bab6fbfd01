import Core
@testable import Training
import Tabular
import TestSupport
import XCTest

// Expected values: scikit-learn 1.9.1 (LogisticRegression(C=1/l2, solver="newton-cholesky", tol=1e-14)
// and
// Ridge(alpha=l2)) on Tests/Fixtures/training/train.csv with l2 = 2, encoded as Sluice
// encodes; Tests/Fixtures/training/make_fixtures.py printed them. Python is not needed here.

private let logisticIntercept = -1.8576959003821159
private let logisticCoefficients: [String: Double] = [
    "region=north": -0.03085556968543587,
    "region=south": 0.05316809576371409,
    "region=east": -0.07421307392441652,
    "region=west": -0.1384309871907779,
    "region=central": 0.1903315350369153,
    "segment=consumer": 0.24028768348259288,
    "segment=small_business": -0.38243761736266685,
    "segment=enterprise": 0.14214993388007377,
    "contract=month-to-month": 1.271099576336317,
    "contract=one-year": -0.14427448784090466,
    "contract=two-year": -1.1268250884954105,
    "age": 0.09765899976284326,
    "annual_income": -0.4217662067927559,
    "tenure_months": -0.42204636333913903,
    "monthly_charges": 0.31547397067165533,
    "support_calls_90d": 0.4329900587139633,
    "days_since_last_login": 0.5575374840642248,
    "satisfaction_score": -0.5674815341077982,
    "has_autopay": -0.2609443356997803,
    "paperless_billing": -0.1747721555462891,
]
private let logisticFirstScores = [0.4984321726966467, 0.3608419638417228, 0.25811397787443136, 0.6211917662565961, 0.43664302901320784]
// The same fit with l2 = 0.1, where the line search used to stop at a gradient of 1.3e-6.
private let weakIntercept = -2.001985428974643
private let weakCoefficients: [String: Double] = [
    "region=north": -0.03472926117477751, "region=south": 0.04511063834108589, "region=east": -0.08134574804627512,
    "region=west": -0.14827521842535824, "region=central": 0.2192395893053451, "segment=consumer": 0.2752000205715583,
    "segment=small_business": -0.4252496010125341, "segment=enterprise": 0.150049580440971, "contract=month-to-month": 1.438736669952456,
    "contract=one-year": -0.0728789568940601, "contract=two-year": -1.3658577130583962, "age": 0.11177153941027598,
    "annual_income": -0.450434757370641, "tenure_months": -0.45590344744000716, "monthly_charges": 0.35233632831937783,
    "support_calls_90d": 0.4696773411869561, "days_since_last_login": 0.5974738033763035, "satisfaction_score": -0.5960157650807929,
    "has_autopay": -0.25555816826160527, "paperless_billing": -0.19046195115100492,
]
// Multinomial: scikit-learn 1.9.1 LogisticRegression(C=1/0.5, solver="newton-cholesky", tol=1e-14)
// on Tests/Fixtures/training/penguins.csv (species; no schema), per class Adelie, Chinstrap, Gentoo.
private let penguinIntercepts = [0.6860572840477499, -0.704029340795734, 0.01797205674798415]
private let penguinCoefficients: [String: [Double]] = [
    "island=Biscoe": [-0.18927026954445805, -0.876963466747644, 1.0662337362920975],
    "island=Dream": [-0.6805244470564306, 1.354702447551276, -0.6741780004948483],
    "island=Torgersen": [0.8697947166008875, -0.4777389808036298, -0.39205573579725717],
    "bill_length_mm": [-2.854151596382544, 2.369263338636964, 0.48488825774557903],
    "bill_depth_mm": [1.2465528436887838, 0.18298084409583149, -1.4295336877846132],
    "flipper_length_mm": [-0.7664674082428538, -0.30670141445780646, 1.0731688227006593],
    "body_mass_g": [0.034871351812323, -1.0910986597806065, 1.0562273079682798],
    "sex=FEMALE": [-0.5115491223693851, 0.6495381322210917, -0.13798900985171167],
    "sex=MALE": [0.8440821979008225, -0.4336021193411325, -0.41048007855969587],
]
private let penguinFirstProbabilities = [
    [0.9999133121446441, 7.57723148702742e-05, 1.0915540485696268e-05],
    [0.996342512270198, 0.0028095319224157324, 0.0008479558073863205],
    [0.9864181081612473, 0.012603211787159114, 0.0009786800515934526],
    [0.8265270748721503, 0.053496292527137765, 0.11997663260071197],
    [0.9998390800346214, 0.0001423122818614247, 1.860768351706613e-05],
]

private let ridgeIntercept = 101.60213673882849
private let ridgeCoefficients: [String: Double] = [
    "region=north": 3.2835173483978526, "region=south": -5.462049274888754, "region=east": -0.3394450207945938,
    "region=west": -0.4897741373547517, "region=central": 3.007751084639432, "segment=consumer": -44.096637193371244,
    "segment=small_business": -9.379089350888245, "segment=enterprise": 53.4757265442493, "contract=month-to-month": -2.2309527571054715,
    "contract=one-year": -0.3087746216041639, "contract=two-year": 2.5397273787099413, "age": 0.07579833766413734,
    "annual_income": 1.2319402791793346, "tenure_months": 0.12332442052223479, "support_calls_90d": 0.2994088270593702,
    "days_since_last_login": -0.3204307481978601, "satisfaction_score": 2.4296264291807357, "has_autopay": -0.10755343794786573,
    "paperless_billing": 1.0850546553875369, "label": 1.9482839862062602,
]
private let ridgeFirstPredictions = [56.666577499855755, 60.40118863408449, 62.621790040119635, 52.861225988069435, 58.352688082000405]

private func named(_ model: LinearModel) -> [String: Double] {
    var out: [String: Double] = [:]
    for feature in model.features {
        if feature.kind == .numeric { out[feature.name] = feature.coefficient } else {
            for (category, value) in zip(feature.categories!, feature.coefficients!) { out["\(feature.name)=\(category)"] = value }
        }
    }
    return out
}

/// Writes `model`, reads it back (asserting it is unchanged) and predicts `data` with it:
/// the reloaded model and the prediction file's lines.
private func reloadAndPredict(_ model: LinearModel, data: String, rows: Int) throws -> (LinearModel, [Substring]) {
    let directory = try TemporaryDirectory()
    try model.write(to: directory.file("model.json"))
    let reloaded = try LinearModel.load(directory.file("model.json"))
    XCTAssertEqual(reloaded, model)
    XCTAssertEqual(try reloaded.predict(data: Fixtures.path(data), to: directory.file("preds.csv")), rows)
    return (reloaded, try String(contentsOfFile: directory.file("preds.csv"), encoding: .utf8).split(separator: "\n"))
}

final class BuiltinTrainerTests: XCTestCase {
    private var options: BuiltinOptions {
        var options = BuiltinOptions()
        options.l2 = 2
        return options
    }

    func testLogisticRegressionMatchesScikitLearn() throws {
        let model = try BuiltinTraining.train(.logisticRegression, data: Fixtures.path("training/train.csv"), schema: Fixtures.path("training/schema.json"), label: "label", options: options)
        XCTAssertEqual(model.classes, ["0", "1"])
        XCTAssertEqual(model.idColumn, "customer_id")
        XCTAssertEqual(model.training.skippedColumns.keys.sorted(), ["customer_id", "signup_date"])
        XCTAssertEqual(model.intercept!, logisticIntercept, accuracy: 1e-9)
        let coefficients = named(model)
        XCTAssertEqual(Set(coefficients.keys), Set(logisticCoefficients.keys))
        for (name, expected) in logisticCoefficients { XCTAssertEqual(coefficients[name]!, expected, accuracy: 1e-9, name) }

        let (_, lines) = try reloadAndPredict(model, data: "training/score.csv", rows: 200)
        XCTAssertEqual(lines[0], "customer_id,prediction,score")
        let scores = lines.dropFirst().prefix(5).map { Double($0.split(separator: ",")[2])! }
        for (got, expected) in zip(scores, logisticFirstScores) { XCTAssertEqual(got, expected, accuracy: 1e-9) }
        XCTAssertTrue(lines[4].hasPrefix("C000604,1,"), String(lines[4]))
    }

    func testLogisticRegressionReachesItsToleranceWithAWeakPenalty() throws {
        var weak = BuiltinOptions()
        weak.l2 = 0.1
        let model = try BuiltinTraining.train(.logisticRegression, data: Fixtures.path("training/train.csv"), schema: Fixtures.path("training/schema.json"), label: "label", options: weak)
        XCTAssertEqual(model.intercept!, weakIntercept, accuracy: 1e-9)
        let coefficients = named(model)
        for (name, expected) in weakCoefficients { XCTAssertEqual(coefficients[name]!, expected, accuracy: 1e-9, name) }
        // The gradient at the solution, recomputed here, is below the documented 1e-10·n.
        let (encoded, table) = try BuiltinTraining.encode(Fixtures.path("training/train.csv"), schema: try TableSchema.load(path: Fixtures.path("training/schema.json")), label: "label", regression: false, options: weak)
        XCTAssertEqual(encoded.features.map(\.name), model.features.map(\.name))
        let design = encoded.design
        let y = table.label.codes.map { table.label.texts[Int($0)] == "1" ? 1.0 : 0.0 }
        let beta = model.weightRows[0]
        var gradient = design.transposeTimes(zip(design.times(beta).map(LogisticSolver.sigmoid), y).map { $0 - $1 })
        for i in 1..<beta.count { gradient[i] += 0.1 * beta[i] }
        XCTAssertLessThan(gradient.map(abs).max()!, 1e-10 * Double(table.rowCount))
    }

    func testMultinomialLogisticRegressionMatchesScikitLearn() throws {
        var options = BuiltinOptions()
        options.l2 = 0.5
        let model = try BuiltinTraining.train(.logisticRegression, data: Fixtures.path("training/penguins.csv"), schema: nil, label: "species", options: options)
        XCTAssertEqual(model.classes, ["Adelie", "Chinstrap", "Gentoo"])
        XCTAssertEqual(model.version, 2)
        XCTAssertNil(model.intercept)
        for (got, expected) in zip(model.intercepts!, penguinIntercepts) { XCTAssertEqual(got, expected, accuracy: 1e-9) }
        var coefficients: [String: [Double]] = [:]
        for feature in model.features {
            let blocks = feature.classCoefficients!
            if feature.kind == .numeric { coefficients[feature.name] = blocks.map { $0[0] } } else {
                for (index, category) in feature.categories!.enumerated() { coefficients["\(feature.name)=\(category)"] = blocks.map { $0[index] } }
            }
        }
        XCTAssertEqual(Set(coefficients.keys), Set(penguinCoefficients.keys))
        for (name, expected) in penguinCoefficients {
            for (got, want) in zip(coefficients[name]!, expected) { XCTAssertEqual(got, want, accuracy: 1e-9, name) }
        }

        // Written as version 2, read back, and predicted in Evaluation's multiclass format.
        let (reloaded, lines) = try reloadAndPredict(model, data: "training/penguins.csv", rows: 344)
        XCTAssertEqual(lines[0], "prediction,proba_Adelie,proba_Chinstrap,proba_Gentoo")
        for (line, expected) in zip(lines.dropFirst(), penguinFirstProbabilities) {
            let fields = line.split(separator: ",")
            XCTAssertEqual(fields[0], "Adelie")
            for (got, want) in zip(fields.dropFirst().map { Double($0)! }, expected) { XCTAssertEqual(got, want, accuracy: 1e-9) }
        }
        let gentoo = try reloaded.labelledPredictions(records: [["island": "Biscoe", "bill_length_mm": "47", "bill_depth_mm": "14", "flipper_length_mm": "217", "body_mass_g": "5000", "sex": "MALE"]])
        XCTAssertEqual(gentoo[0].label, "Gentoo")
        XCTAssertGreaterThan(gentoo[0].value, 0.9)
    }

    func testModelFilesOfTheWrongShapeAreUsageErrors() throws {
        var options = BuiltinOptions()
        options.l2 = 0.5
        let model = try BuiltinTraining.train(.logisticRegression, data: Fixtures.path("training/penguins.csv"), schema: nil, label: "species", options: options)
        let directory = try TemporaryDirectory()
        var versionOne = model
        versionOne.version = 1
        var missingClass = model
        missingClass.features[0].classCoefficients!.removeLast()
        for (name, broken) in [("v1.json", versionOne), ("short.json", missingClass)] {
            try broken.write(to: directory.file(name))
            XCTAssertThrowsError(try LinearModel.load(directory.file(name))) { error in
                XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
                XCTAssertTrue("\(error)".contains("coefficients do not match its features and classes"), "\(error)")
            }
        }
    }

    func testLinearRegressionMatchesScikitLearnRidge() throws {
        let model = try BuiltinTraining.train(.linearRegression, data: Fixtures.path("training/train.csv"), schema: Fixtures.path("training/schema.json"), label: "monthly_charges", options: options)
        XCTAssertNil(model.classes)
        XCTAssertEqual(model.intercept!, ridgeIntercept, accuracy: 1e-9)
        let coefficients = named(model)
        for (name, expected) in ridgeCoefficients { XCTAssertEqual(coefficients[name]!, expected, accuracy: 1e-9, name) }
        let rows = [["region": "north", "segment": "consumer", "contract": "one-year", "age": "40", "annual_income": "50000", "tenure_months": "12", "support_calls_90d": "1", "days_since_last_login": "3", "satisfaction_score": "", "has_autopay": "true", "paperless_billing": "false", "label": "0"]]
        let predicted = try model.predict(records: rows)
        XCTAssertEqual(predicted.count, 1)
        let directory = try TemporaryDirectory()
        try model.predict(data: Fixtures.path("training/score.csv"), to: directory.file("preds.csv"))
        let values = try String(contentsOfFile: directory.file("preds.csv"), encoding: .utf8).split(separator: "\n").dropFirst().prefix(5).map { Double($0.split(separator: ",")[1])! }
        for (got, expected) in zip(values, ridgeFirstPredictions) { XCTAssertEqual(got, expected, accuracy: 1e-9) }
    }

    func testTrainingIsDeterministic() throws {
        let first = try BuiltinTraining.train(.logisticRegression, data: Fixtures.path("training/train.csv"), schema: Fixtures.path("training/schema.json"), label: "label", options: options)
        let second = try BuiltinTraining.train(.logisticRegression, data: Fixtures.path("training/train.csv"), schema: Fixtures.path("training/schema.json"), label: "label", options: options)
        XCTAssertEqual(try JSONOutput.string(first), try JSONOutput.string(second))
    }

    func testBadInputsAreUsageErrors() throws {
        let directory = try TemporaryDirectory()
        let data = try directory.write("d.csv", "x,label\n1,a\n2,b\n3,c\n")
        var positive = BuiltinOptions()
        positive.positiveLabel = "a"
        XCTAssertThrowsError(try BuiltinTraining.train(.logisticRegression, data: data, schema: nil, label: "label", options: positive)) { error in
            XCTAssertEqual("\(error)", "\(data): positive_label 'a' applies to a binary label, but 'label' has 3 classes (a, b, c); remove positive_label for a multiclass model")
        }
        let single = try directory.write("s.csv", "x,label\n1,a\n2,a\n")
        XCTAssertThrowsError(try BuiltinTraining.train(.logisticRegression, data: single, schema: nil, label: "label", options: BuiltinOptions())) { error in
            XCTAssertEqual("\(error)", "\(single): logistic regression needs at least two classes in 'label', found 1 (a)")
        }
        XCTAssertThrowsError(try BuiltinTraining.train(.linearRegression, data: data, schema: nil, label: "y", options: BuiltinOptions())) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
        }
        let unseen = try directory.write("u.csv", "x,label\n1,0\nnope,1\n")
        let model = try BuiltinTraining.train(.logisticRegression, data: try directory.write("t.csv", "x,label\n1,0\n2,1\n3,1\n"), schema: nil, label: "label", options: BuiltinOptions())
        XCTAssertThrowsError(try model.predict(data: unseen, to: directory.file("p.csv"))) { error in
            XCTAssertEqual("\(error)", "\(unseen) line 3: x 'nope' is not a number")
        }
        // Predictions stream to the file, but a failed pass leaves none behind.
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("p.csv")))
    }

    func testRowsWithoutALabelAreLeftOutAndCounted() throws {
        let directory = try TemporaryDirectory()
        let clean = try directory.write("clean.csv", "x,color,label\n1,red,0\n2,blue,1\n3,red,1\n0.5,blue,0\n")
        // An empty, a blank and a schema-missing label; their other cells would be errors if read.
        let gaps = try directory.write("gaps.csv", "x,color,label\n1,red,0\nnope,green,\n2,blue,1\n3,red,1\n,,  \n0.5,blue,0\n9,red,NA\n")
        let schema = try directory.write("schema.json", #"{"fields": [{"name": "x", "type": "number"}, {"name": "color", "type": "string"}, {"name": "label", "type": "integer"}], "missingValues": ["", "NA"]}"#)
        for kind in [BuiltinTrainer.logisticRegression, .linearRegression] {
            let expected = try BuiltinTraining.train(kind, data: clean, schema: schema, label: "label", options: BuiltinOptions())
            let model = try BuiltinTraining.train(kind, data: gaps, schema: schema, label: "label", options: BuiltinOptions())
            XCTAssertEqual(model.training.rows, 4)
            XCTAssertEqual(model.training.unlabelledRows, 3)
            var same = model
            same.training.unlabelledRows = nil
            XCTAssertEqual(same, expected, "\(kind): the model of the labelled rows alone")
        }
        XCTAssertNil(try BuiltinTraining.train(.logisticRegression, data: clean, schema: nil, label: "label", options: BuiltinOptions()).training.unlabelledRows)
        let none = try directory.write("none.csv", "x,label\n1,\n2, \n")
        XCTAssertThrowsError(try BuiltinTraining.train(.logisticRegression, data: none, schema: nil, label: "label", options: BuiltinOptions())) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
            XCTAssertEqual("\(error)", "\(none): none of its 2 rows has a value in the label column 'label'; nothing to train on")
        }
    }

    func testTrainingNamesTheFirstBadCellByRowThenColumn() throws {
        let directory = try TemporaryDirectory()
        let schema = try directory.write("schema.json", #"{"fields": [{"name": "a", "type": "number"}, {"name": "flag", "type": "boolean"}, {"name": "label", "type": "integer"}]}"#)
        // Line 4 has two bad cells and line 3 one: the error is line 3's.
        let data = try directory.write("d.csv", "a,flag,label\n1,true,0\n2,maybe,1\nbad,no,0\n")
        XCTAssertThrowsError(try BuiltinTraining.train(.logisticRegression, data: data, schema: schema, label: "label", options: BuiltinOptions())) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
            XCTAssertTrue("\(error)".hasPrefix("\(data) line 3: flag 'maybe' is not a boolean ("), "\(error)")
        }
        let second = try directory.write("e.csv", "a,flag,label\n1,true,0\nbad,no,1\n")
        XCTAssertThrowsError(try BuiltinTraining.train(.logisticRegression, data: second, schema: schema, label: "label", options: BuiltinOptions())) { error in
            XCTAssertEqual("\(error)", "\(second) line 3: a 'bad' is not a number")
        }
    }

    func testColumnsWithoutSchemaBecomeNumbersOrCategoriesFromTheirValues() throws {
        let directory = try TemporaryDirectory()
        // n: numbers (one padded with spaces, one missing); c: three categories; many: four.
        let data = try directory.write("d.csv", "n,c,many,label\n1,x,p,0\n 2 ,y,q,1\n,z,r,0\n4,x,s,1\n")
        var options = BuiltinOptions()
        options.maxCategories = 3
        let model = try BuiltinTraining.train(.logisticRegression, data: data, schema: nil, label: "label", options: options)
        XCTAssertEqual(model.features.map(\.name), ["n", "c"])
        XCTAssertEqual(model.features[0].kind, .numeric)
        XCTAssertEqual(model.features[0].mean!, 7.0 / 3, accuracy: 1e-15, "the mean of 1, 2 and 4; the empty cell is missing")
        XCTAssertEqual(model.features[1].categories, ["x", "y", "z"])
        XCTAssertEqual(model.training.skippedColumns, ["many": "4 distinct values, more than max_categories (3)"])
    }

    func testCellTrimmingMatchesFoundationsWhitespaces() {
        // The fast path must trim exactly what `.whitespaces` trims (spaces, tabs, other
        // Unicode space separators such as U+00A0 and U+3000), and nothing else.
        let cells = ["", "x", " x", "x ", "\tx\t", " a b ", "\u{00A0}1.5", "2\u{3000}", "\n3\n", "é", " é ", "~", "\u{7F}"]
        for cell in cells {
            var text = cell
            let trimmed = text.withUTF8 { raw in CellBytes.trimmed(raw) { CellBytes.text($0) } }
            XCTAssertEqual(trimmed, cell.trimmingCharacters(in: .whitespaces), cell.debugDescription)
        }
    }
    /// A numeric column of few values is kept as a byte per row naming one of them; it must
    /// give back every row's number to the bit, and a design of its levels the products of
    /// a design of its numbers.
    func testLevelsGiveTheProductsOfTheirNumbers() throws {
        var state: UInt64 = 5
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let rows = 5_000
        let few = (0..<rows).map { _ in [-1.25, 0, -0.0, 0.5, 3.75, .nan][next(6)] }
        let many = (0..<rows).map { row in row < 300 ? Double(row % 256) : Double(next(1 << 20)) / 7 }
        let codes = (0..<rows).map { _ in Int32(next(4)) - 1 }
        var fewColumn = NumberColumn(), manyColumn = NumberColumn()
        for row in 0..<rows {
            fewColumn.append(few[row])
            manyColumn.append(many[row])
        }
        func numbers(_ column: NumberColumn) -> [Double] {
            var all: [Double] = []
            column.forEach { all.append($0) }
            return all
        }
        XCTAssertEqual(numbers(fewColumn).map(\.bitPattern), few.map(\.bitPattern), "-0.0 and 0 are two levels: each row keeps its own bits")
        XCTAssertEqual(numbers(manyColumn), many, "past 256 values the column turns to numbers, the rows read so far included")
        let standardise = { (x: Double) in x.isNaN ? 0 : (x - 0.3) / 1.7 }
        let fewBlock = fewColumn.block(standardise), manyBlock = manyColumn.block(standardise)
        guard case .levels = fewBlock, case .numeric(let manyNumbers) = manyBlock else { return XCTFail("\(fewBlock), \(manyBlock)") }
        XCTAssertEqual(manyNumbers, many.map(standardise))
        let asNumbers = Design(rows: rows, blockCount: 3) { [manyBlock, .numeric(few.map(standardise)), .oneHot(codes, width: 3)][$0] }
        let asLevels = Design(rows: rows, blockCount: 3) { [manyBlock, fewBlock, .oneHot(codes, width: 3)][$0] }
        let beta = (0..<asNumbers.columns).map { Double($0) / 3 - 0.4 }
        let weights = (0..<rows).map { _ in Double(next(100)) / 99 }
        XCTAssertEqual(asLevels.times(beta), asNumbers.times(beta))
        XCTAssertEqual(asLevels.transposeTimes(weights), asNumbers.transposeTimes(weights))
        XCTAssertEqual(asLevels.gram(weights: weights, l2: 0.5), asNumbers.gram(weights: weights, l2: 0.5))
        XCTAssertEqual(asLevels.times(classes: 2, beta + beta), asNumbers.times(classes: 2, beta + beta))
    }

    /// A large design's X·β is summed in two halves on two threads: every row's sum must be
    /// the one a row-by-row pass gives (the intercept, then each nonzero entry in column order).
    func testTimesOnTwoThreadsSumsEachRowInColumnOrder() {
        let rows = Design.rowsPerThread * 2 + 7
        let numbers = (0..<rows).map { (row: Int) -> Double in row % 5 == 0 ? 0 : Double(row % 977) / 13 - 30 }
        let codes = (0..<rows).map { (row: Int) -> Int32 in Int32(row % 4) - 1 }
        let design = Design(rows: rows, blockCount: 2) { [.numeric(numbers), .oneHot(codes, width: 3)][$0] }
        let beta = [0.1, -0.7, 1.3, 2.9, -0.3]
        let expected = (0..<rows).map { row -> Double in
            var sum = 0.0
            sum += 1 * beta[0]
            if numbers[row] != 0 { sum += numbers[row] * beta[1] }
            if codes[row] >= 0 { sum += 1 * beta[2 + Int(codes[row])] }
            return sum
        }
        XCTAssertEqual(design.times(beta), expected)
    }

    /// `gram` and `transposeTimes` share their output entries out between threads, each
    /// thread reading every row: every entry must be the one-thread sum to the bit, for any
    /// number of parts, on shapes that split awkwardly (one column, odd column counts,
    /// fewer rows than threads, rows without entries, zero and -0.0 values and weights).
    func testProductsSplitByOutputsEqualOneThreadsToTheBit() {
        var state: UInt64 = 11
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        func number() -> Double {
            [0, -0.0, 1, Double(next(1 << 20)) / 977 - 300, Double(next(1000)) * 1e-9][next(5)]
        }
        for rows in [0, 1, 2, 7, 1_001] {
            for blockCount in [0, 1, 2, 5] {
                let blocks = (0..<blockCount).map { index -> Design.Block in
                    switch (index + rows) % 3 {
                    case 0: return .numeric((0..<rows).map { _ in number() })
                    case 1: return .levels((0..<rows).map { _ in UInt8(next(3)) }, values: [number(), 0, number()])
                    default:
                        let width = 1 + next(4)
                        return .oneHot((0..<rows).map { _ in Int32(next(width + 1)) - 1 }, width: width)
                    }
                }
                let design = Design(rows: rows, blockCount: blockCount) { blocks[$0] }
                let weights = (0..<rows).map { _ in next(4) == 0 ? 0 : Double(next(1 << 16)) / 65_536 }
                let v = (0..<rows).map { _ in number() }
                let gram = design.gram(weights: weights, l2: 0.25, parts: 1), unweighted = design.gram(weights: nil, l2: 1, parts: 1)
                let product = design.transposeTimes(v, parts: 1)
                for parts in [2, 3, 8] {
                    let shape = "\(rows) rows, \(design.columns) columns, \(parts) parts"
                    let ranges = design.outputPositions(parts) { $0.count }
                    XCTAssertEqual(ranges.first?.lowerBound, 0, shape)
                    XCTAssertEqual(ranges.last?.upperBound, blockCount + 1, shape)
                    XCTAssertTrue(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound }, shape)
                    XCTAssertTrue(ranges.count <= parts && (blockCount == 0 || ranges.count >= 2), "\(shape): \(ranges)")
                    XCTAssertEqual(design.gram(weights: weights, l2: 0.25, parts: parts).map(\.bitPattern), gram.map(\.bitPattern), shape)
                    XCTAssertEqual(design.gram(weights: nil, l2: 1, parts: parts).map(\.bitPattern), unweighted.map(\.bitPattern), shape)
                    XCTAssertEqual(design.transposeTimes(v, parts: parts).map(\.bitPattern), product.map(\.bitPattern), shape)
                }
            }
        }
    }

    /// One part's gram is the textbook sum: the split must not have changed what is summed.
    func testGramIsXTransposeWX() {
        let numbers = [0.5, -1.25, 0, 2]
        let codes: [Int32] = [1, -1, 0, 1]
        let design = Design(rows: 4, blockCount: 2) { [.numeric(numbers), .oneHot(codes, width: 2)][$0] }
        let weights = [1.0, 2, 0.5, 4]
        let x = (0..<4).map { row -> [Double] in [1, numbers[row], codes[row] == 0 ? 1 : 0, codes[row] == 1 ? 1 : 0] }
        var expected = [Double](repeating: 0, count: 16)
        for row in 0..<4 { for i in 0..<4 { for j in 0..<4 { expected[i * 4 + j] += x[row][i] * weights[row] * x[row][j] } } }
        for i in 1..<4 { expected[i * 4 + i] += 0.75 }
        for parts in [1, 2] { XCTAssertEqual(design.gram(weights: weights, l2: 0.75, parts: parts), expected) }
        XCTAssertEqual(design.transposeTimes(weights, parts: 2), (0..<4).map { i in (0..<4).reduce(0) { $0 + x[$1][i] * weights[$1] } })
    }
}
