# Reference values for Tests/TrainingTests: scikit-learn fitted on the same encoding as
# Sluice's built-in trainers (standardised numerics with missing -> 0 after scaling, booleans
# as 0/1, one-hot categoricals over the schema's enum, no penalty on the intercept).
import json, numpy as np, pandas as pd, sklearn
from sklearn.linear_model import LogisticRegression, Ridge
schema = json.load(open("schema.json"))
enums = {f["name"]: f["constraints"]["enum"] for f in schema["fields"] if f["type"] == "string" and "enum" in f.get("constraints", {})}
def encode(df, label, stats=None):
    cols, names, fitted = [], [], stats or {}
    for f in schema["fields"]:
        n = f["name"]
        if n in (label, "customer_id") or f["type"] == "date": continue
        if n in enums:
            for c in enums[n]:
                cols.append((df[n] == c).astype(float).values); names.append(f"{n}={c}")
        else:
            v = df[n].map({True: 1.0, False: 0.0, "true": 1.0, "false": 0.0}) if f["type"] == "boolean" else df[n].astype(float)
            if n not in fitted: fitted[n] = (np.nanmean(v), np.nanstd(v) or 1.0)
            m, s = fitted[n]
            cols.append(np.nan_to_num((v.values - m) / s, nan=0.0)); names.append(n)
    return np.column_stack(cols), names, fitted
train = pd.read_csv("train.csv", keep_default_na=False, na_values=[""])
score = pd.read_csv("score.csv", keep_default_na=False, na_values=[""])
X, names, stats = encode(train, "label")
Xs, _, _ = encode(score, "label", stats)
l2 = 2.0
lr = LogisticRegression(C=1 / l2, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(X, train["label"])
print("sklearn", sklearn.__version__)
print("logistic intercept", repr(lr.intercept_[0]))
print("logistic coef", dict(zip(names, map(float, lr.coef_[0]))))
p = lr.predict_proba(Xs)[:, 1]
print("logistic first scores", [float(x) for x in p[:5]], "sum", float(p.sum()))
X2, names2, stats2 = encode(train, "monthly_charges")
Xs2, _, _ = encode(score, "monthly_charges", stats2)
rg = Ridge(alpha=l2, tol=1e-12).fit(X2, train["monthly_charges"])
print("ridge intercept", repr(float(rg.intercept_)))
print("ridge coef", dict(zip(names2, map(float, rg.coef_))))
q = rg.predict(Xs2)
print("ridge first predictions", [float(x) for x in q[:5]], "sum", float(q.sum()))
