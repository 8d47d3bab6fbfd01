import Core
@testable import Training
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
        XCTAssertEqual(model.intercept, logisticIntercept, accuracy: 1e-9)
        let coefficients = named(model)
        XCTAssertEqual(Set(coefficients.keys), Set(logisticCoefficients.keys))
        for (name, expected) in logisticCoefficients { XCTAssertEqual(coefficients[name]!, expected, accuracy: 1e-9, name) }

        let directory = try TemporaryDirectory()
        try model.write(to: directory.file("model.json"))
        let reloaded = try LinearModel.load(directory.file("model.json"))
        XCTAssertEqual(reloaded, model)
        XCTAssertEqual(try reloaded.predict(data: Fixtures.path("training/score.csv"), to: directory.file("preds.csv")), 200)
        let lines = try String(contentsOfFile: directory.file("preds.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines[0], "customer_id,prediction,score")
        let scores = lines.dropFirst().prefix(5).map { Double($0.split(separator: ",")[2])! }
        for (got, expected) in zip(scores, logisticFirstScores) { XCTAssertEqual(got, expected, accuracy: 1e-9) }
        XCTAssertTrue(lines[4].hasPrefix("C000604,1,"), String(lines[4]))
    }

    func testLinearRegressionMatchesScikitLearnRidge() throws {
        let model = try BuiltinTraining.train(.linearRegression, data: Fixtures.path("training/train.csv"), schema: Fixtures.path("training/schema.json"), label: "monthly_charges", options: options)
        XCTAssertNil(model.classes)
        XCTAssertEqual(model.intercept, ridgeIntercept, accuracy: 1e-9)
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
        XCTAssertThrowsError(try BuiltinTraining.train(.logisticRegression, data: data, schema: nil, label: "label", options: BuiltinOptions())) { error in
            XCTAssertEqual("\(error)", "\(data): logistic regression needs exactly two classes in 'label', found 3 (a, b, c)")
        }
        XCTAssertThrowsError(try BuiltinTraining.train(.linearRegression, data: data, schema: nil, label: "y", options: BuiltinOptions())) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
        }
        let unseen = try directory.write("u.csv", "x,label\n1,0\nnope,1\n")
        let model = try BuiltinTraining.train(.logisticRegression, data: try directory.write("t.csv", "x,label\n1,0\n2,1\n3,1\n"), schema: nil, label: "label", options: BuiltinOptions())
        XCTAssertThrowsError(try model.predict(data: unseen, to: directory.file("p.csv"))) { error in
            XCTAssertEqual("\(error)", "\(unseen) line 3: x 'nope' is not a number")
        }
    }
}
