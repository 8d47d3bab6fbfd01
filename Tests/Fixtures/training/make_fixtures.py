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

# The line search's tolerance: l2 = 0.1 used to stop at a gradient of 1.3e-6.
weak = LogisticRegression(C=1 / 0.1, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(X, train["label"])
print("logistic l2=0.1 intercept", repr(weak.intercept_[0]))
print("logistic l2=0.1 coef", dict(zip(names, map(float, weak.coef_[0]))))

# Multinomial: penguins.csv (palmerpenguins, copied from the seaborn-data collection),
# species from every other column, no schema (numbers where every value parses, else
# categories over the sorted values), l2 = 0.5. scikit-learn centres the intercepts.
penguins = pd.read_csv("penguins.csv", keep_default_na=False, na_values=[""])
cols, pnames = [], []
for n in ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex"]:
    if n in ("island", "sex"):
        for c in sorted(penguins[n].dropna().unique()):
            cols.append((penguins[n] == c).astype(float).values); pnames.append(f"{n}={c}")
    else:
        v = penguins[n].astype(float); m, s = np.nanmean(v), np.nanstd(v) or 1.0
        cols.append(np.nan_to_num((v.values - m) / s, nan=0.0)); pnames.append(n)
P = np.column_stack(cols)
multi = LogisticRegression(C=1 / 0.5, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(P, penguins["species"])
print("multinomial classes", list(multi.classes_), "intercepts", multi.intercept_.tolist())
print("multinomial coef", {pnames[j]: multi.coef_[:, j].tolist() for j in range(len(pnames))})
print("multinomial first probabilities", multi.predict_proba(P)[:5].tolist())
