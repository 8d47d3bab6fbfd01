"""Builds the MLServer side of bench/serve.sh: a scikit-learn logistic regression equivalent
to Sluice's built-in one on the example's reference data (numbers standardised, categories
one-hot, booleans 0/1, L2 with C = 1 / l2 = 1; scikit-learn leaves the intercept
unpenalised as Sluice does), saved for MLServer's scikit-learn runtime, and the request
bodies both servers get: one row each, the scores asked for (MLServer's predict_proba).
MLServer is sent the encoded row (its runtime has no feature encoding); Sluice the raw row.

Usage: python bench/serve_mlserver.py EXAMPLE_DIR OUT_DIR
"""
import json
import sys
from pathlib import Path

import joblib
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

example, out = Path(sys.argv[1]), Path(sys.argv[2])
data = pd.read_csv(example / "reference.csv").dropna()
categorical = ["region", "segment", "contract"]
numeric = ["age", "annual_income", "tenure_months", "monthly_charges", "support_calls_90d",
           "days_since_last_login", "satisfaction_score", "has_autopay", "paperless_billing"]
X = data[categorical + numeric].copy()
X["has_autopay"] = X["has_autopay"].astype(int)
X["paperless_billing"] = X["paperless_billing"].astype(int)
encoder = ColumnTransformer([("num", StandardScaler(), numeric), ("cat", OneHotEncoder(handle_unknown="ignore"), categorical)])
encoded = encoder.fit_transform(X)
model = LogisticRegression(C=1.0, max_iter=1000).fit(encoded, data["label"])

model_dir = out / "mlserver" / "churn"
model_dir.mkdir(parents=True, exist_ok=True)
joblib.dump(model, model_dir / "model.joblib")
(model_dir / "model-settings.json").write_text(json.dumps({
    "name": "churn", "implementation": "mlserver_sklearn.SKLearnModel",
    "parameters": {"uri": "./model.joblib", "version": "v1"}}))

first = X.iloc[[0]]
row = encoder.transform(first)
row = row.toarray() if hasattr(row, "toarray") else row
(out / "mlserver-body.json").write_text(json.dumps({"inputs": [
    {"name": "predict", "datatype": "FP64", "shape": [1, row.shape[1]], "data": row.ravel().tolist()}],
    "outputs": [{"name": "predict_proba"}]}))
raw = data.iloc[0].to_dict()
raw = {k: (bool(v) if k in ("has_autopay", "paperless_billing") else v) for k, v in raw.items()}
(out / "sluice-body.json").write_text(json.dumps({"inputs": [
    {"name": "rows", "datatype": "BYTES", "shape": [1], "data": [json.dumps(raw, default=str)]}]}))
print(f"features {row.shape[1]}, train accuracy {model.score(encoded, data['label']):.4f}")
