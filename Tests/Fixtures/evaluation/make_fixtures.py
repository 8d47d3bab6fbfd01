import numpy as np, csv, sklearn
from sklearn import metrics as M
rng = np.random.default_rng(7)
# binary
n = 300
y = rng.integers(0, 2, n)
region = rng.choice(["north", "south", "east"], n)
cand = np.clip(np.round(0.5*y + rng.normal(0.25, 0.22, n), 2), 0, 1)
champ = np.clip(np.round(0.3*y + rng.normal(0.35, 0.25, n), 2), 0, 1)
ids = [f"r{i:03d}" for i in range(n)]
with open("binary-labels.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["id", "region", "label"])
    for i in range(n): w.writerow([ids[i], region[i], y[i]])
perm = rng.permutation(n)
for name, s in [("binary-candidate.csv", cand), ("binary-champion.csv", champ)]:
    with open(name, "w", newline="") as f:
        w = csv.writer(f); w.writerow(["id", "score"])
        for i in perm: w.writerow([ids[i], repr(float(s[i]))])
def binm(y, s):
    p = (s >= 0.5).astype(int)
    return dict(accuracy=M.accuracy_score(y,p), balanced_accuracy=M.balanced_accuracy_score(y,p),
      precision=M.precision_score(y,p), recall=M.recall_score(y,p), f1=M.f1_score(y,p),
      precision_macro=M.precision_score(y,p,average="macro"), recall_macro=M.recall_score(y,p,average="macro"), f1_macro=M.f1_score(y,p,average="macro"),
      precision_weighted=M.precision_score(y,p,average="weighted"), recall_weighted=M.recall_score(y,p,average="weighted"), f1_weighted=M.f1_score(y,p,average="weighted"),
      roc_auc=M.roc_auc_score(y,s), pr_auc=M.average_precision_score(y,s), log_loss=M.log_loss(y,s), brier=M.brier_score_loss(y,s),
      cm=M.confusion_matrix(y,p).tolist())
print("sklearn", sklearn.__version__)
print("binary candidate", binm(y, cand))
print("binary champion", binm(y, champ))
for r in ["east", "north", "south"]:
    m = region == r
    print("slice", r, m.sum(), binm(y[m], cand[m]))
# multiclass
n = 150
classes = ["cat", "dog", "fox"]
yi = rng.integers(0, 3, n)
logits = rng.normal(0, 1, (n, 3)); logits[np.arange(n), yi] += 1.2
proba = np.exp(logits); proba /= proba.sum(1, keepdims=True)
with open("multiclass-labels.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["label"])
    for i in range(n): w.writerow([classes[yi[i]]])
with open("multiclass-predictions.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["prediction"] + [f"proba_{c}" for c in classes])
    for i in range(n): w.writerow([classes[int(np.argmax(proba[i]))]] + [repr(float(v)) for v in proba[i]])
yt = [classes[i] for i in yi]; yp = [classes[int(np.argmax(proba[i]))] for i in range(n)]
print("multiclass", dict(accuracy=M.accuracy_score(yt,yp), balanced_accuracy=M.balanced_accuracy_score(yt,yp),
  precision_macro=M.precision_score(yt,yp,average="macro"), recall_macro=M.recall_score(yt,yp,average="macro"), f1_macro=M.f1_score(yt,yp,average="macro"),
  precision_weighted=M.precision_score(yt,yp,average="weighted"), recall_weighted=M.recall_score(yt,yp,average="weighted"), f1_weighted=M.f1_score(yt,yp,average="weighted"),
  log_loss=M.log_loss(yt, proba, labels=classes), cm=M.confusion_matrix(yt,yp,labels=classes).tolist()))
# regression
n = 200
yr = np.round(rng.normal(50, 15, n), 3)
pr = np.round(yr + rng.normal(0, 5, n), 3)
with open("regression-labels.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["label"])
    for v in yr: w.writerow([repr(float(v))])
with open("regression-predictions.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["prediction"])
    for v in pr: w.writerow([repr(float(v))])
print("regression", dict(mae=M.mean_absolute_error(yr,pr), rmse=M.root_mean_squared_error(yr,pr), r2=M.r2_score(yr,pr), mape=M.mean_absolute_percentage_error(yr,pr)))
