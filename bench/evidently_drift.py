"""Evidently 0.7's data-drift table on two CSVs, the peer of `sluice drift` in bench/drift.sh.

Reads both files with pandas (as an Evidently user does) and runs the DataDriftTable with the
benchmark data's column types. Prints the drifted columns.
"""
import sys

import pandas as pd
from evidently.legacy.metrics import DataDriftTable
from evidently.legacy.pipeline.column_mapping import ColumnMapping
from evidently.legacy.report import Report

reference = pd.read_csv(sys.argv[1])
current = pd.read_csv(sys.argv[2])
mapping = ColumnMapping(numerical_features=["amount", "income", "age", "rate", "visits", "version"],
                        categorical_features=["country", "channel", "plan", "active"])
report = Report(metrics=[DataDriftTable()])
report.run(reference_data=reference, current_data=current, column_mapping=mapping)
result = report.as_dict()["metrics"][0]["result"]
drifted = sorted(name for name, column in result["drift_by_columns"].items() if column["drift_detected"])
print(f"dataset drift: {result['dataset_drift']}; drifted: {', '.join(drifted)}")
