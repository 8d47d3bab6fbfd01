"""Prints the reference values pasted into Tests/DriftTests (scipy and Evidently 0.7).

Run with the reference venv: /tmp/refvenv/bin/python expected_values.py
"""
import warnings

import evidently
import numpy as np
import pandas as pd
import scipy
from evidently.legacy.metrics import DataDriftTable
from evidently.legacy.pipeline.column_mapping import ColumnMapping
from evidently.legacy.report import Report
from scipy import stats
from scipy.spatial import distance

warnings.filterwarnings("ignore")
print(f"# scipy {scipy.__version__}, evidently {evidently.__version__}, pandas {pd.__version__}, numpy {np.__version__}")


def evidently_table(ref, cur, numerical, categorical, **kw):
    report = Report(metrics=[DataDriftTable(**kw)])
    report.run(reference_data=ref, current_data=cur,
               column_mapping=ColumnMapping(numerical_features=numerical, categorical_features=categorical))
    result = report.as_dict()["metrics"][0]["result"]["drift_by_columns"]
    for name, r in result.items():
        print(f'"{name}": ("{r["stattest_name"]}", {r["drift_score"]!r}, {r["drift_detected"]}),')


for pair, numerical, categorical in [
    ("small", ["num_shift", "num_same", "few", "binary", "constant", "with_missing"], ["cat", "yes_no"]),
    ("large", ["income", "age", "score", "rating"], ["city", "flag"]),
]:
    ref = pd.read_csv(f"reference_{pair}.csv")
    cur = pd.read_csv(f"current_{pair}.csv")
    print(f"## Evidently DataDriftTable, {pair}")
    evidently_table(ref, cur, numerical, categorical)
    print(f"## scipy, {pair}")
    for column in numerical:
        a, b = ref[column].dropna().to_numpy(), cur[column].dropna().to_numpy()
        ks = stats.ks_2samp(a, b)
        print(f"{column}: ks {ks.statistic!r} {ks.pvalue!r}; wasserstein {stats.wasserstein_distance(a, b)!r}; std {np.std(a)!r}")

# Every method by name on the large pair, from Evidently's own stattest functions.
from evidently.legacy.calculations.stattests import (hellinger_stat_test, jensenshannon_stat_test, kl_div_stat_test,
                                                     psi_stat_test)
from evidently.legacy.calculations.stattests.utils import get_binned_data
from evidently.legacy.core import ColumnType

ref = pd.read_csv("reference_large.csv")
cur = pd.read_csv("current_large.csv")
print("## Evidently methods by name, large")
for column, ftype in [("income", ColumnType.Numerical), ("score", ColumnType.Numerical), ("city", ColumnType.Categorical)]:
    a, b = ref[column], cur[column]
    for name, test in [("jensenshannon", jensenshannon_stat_test), ("kl_div", kl_div_stat_test), ("hellinger", hellinger_stat_test)]:
        from evidently.legacy.calculations.stattests.registry import get_stattest
        impl = test
        from evidently.legacy.calculations.stattests import registry
        func = registry._impls[test][registry.PythonEngine].func
        print(f'{column} {name}: {func(a.copy(), b.copy(), ftype, 0.1)[0]!r}')
    p, q = get_binned_data(a, b, ftype, 30, False)
    js2 = distance.jensenshannon(p, q, base=2) ** 2
    linf = np.max(np.abs(p / p.sum() - q / q.sum()))
    print(f"{column} js_divergence {js2!r}; l_infinity {linf!r}")
    # Sluice's PSI: reference deciles (numpy linear), open outer bins, Evidently's zero rule.
    if ftype == ColumnType.Numerical:
        cuts = np.unique(np.quantile(a, np.arange(1, 10) / 10))
        idx_a = np.searchsorted(cuts, a, side="left")
        idx_b = np.searchsorted(cuts, b, side="left")
        pa = np.bincount(idx_a, minlength=len(cuts) + 1) / len(a)
        pb = np.bincount(idx_b, minlength=len(cuts) + 1) / len(b)
    else:
        keys = sorted(set(a) | set(b))
        pa = np.array([(a == k).sum() / len(a) for k in keys])
        pb = np.array([(b == k).sum() / len(b) for k in keys])

    def fill(x):
        m = x[x != 0].min()
        return np.where(x == 0, m / 1e6 if m <= 0.0001 else 0.0001, x)
    pa, pb = fill(pa), fill(pb)
    print(f"{column} psi {np.sum((pa - pb) * np.log(pa / pb))!r}")

print("## scipy awkward cases")
cases = {
    "ties": ([1, 1, 2, 2, 2, 3, 3, 3, 3], [2, 2, 3, 3, 4, 4, 4]),
    "equal_sizes": ([0.1, 0.5, 0.9, 1.3, 2.2], [0.4, 0.6, 1.1, 1.8, 2.5]),
    "one_row": ([1.0], [2.0]),
    "constant": ([5, 5, 5, 5], [5, 5, 5]),
    "disjoint": (list(range(50)), list(range(100, 140))),
}
for name, (a, b) in cases.items():
    ks = stats.ks_2samp(a, b)
    print(f'"{name}": ({ks.statistic!r}, {ks.pvalue!r}, {stats.wasserstein_distance(a, b)!r}),')
for n in [150, 500, 2000, 50000, 200000]:
    for d in [0.02, 0.05, 0.1, 0.2, 0.6]:
        print(f"kstwo n={n} d={d}: {stats.kstwo.sf(d, n)!r}")
print("chisquare", stats.chisquare([10, 20, 30, 40], [25, 25, 25, 25]), stats.chisquare([5, 0, 7], [4, 4, 4]))
print("chi2.sf", stats.chi2.sf(3.5, 1), stats.chi2.sf(250.0, 200), stats.chi2.sf(80.0, 10))
print("jensenshannon", distance.jensenshannon([0.1, 0.4, 0.5], [0.3, 0.3, 0.4]), distance.jensenshannon([1, 0], [0, 1]),
      distance.jensenshannon([0.2, 0.8], [0.5, 0.5], base=2))
print("entropy", stats.entropy([0.1, 0.4, 0.5], [0.3, 0.3, 0.4]))
print("norm.cdf", stats.norm.cdf(-3.2), stats.norm.cdf(1.7))
