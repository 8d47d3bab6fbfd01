#!/usr/bin/env python3
"""Generates Sluice's bundled example: a telecom customer-churn table.

Deterministic (fixed seed, Python standard library only). Writes, beside this script:
  reference.csv  4000 rows the champion model was trained on (snapshot 2024-06-30)
  holdout.csv    1000 fresh labelled rows from the same distribution
  current.csv    3000 rows six months later (snapshot 2024-12-31) in which
                 - annual_income has shifted up and widened (new, wealthier customers),
                 - monthly_charges rose (a price increase),
                 - the region mix moved towards "south" (a marketing campaign),
                 and five rows break the schema on purpose (see INVALID_ROWS below).

The label `label` (1 = churned within 90 days) follows a logistic model of the features,
so a logistic regression reaches an ROC AUC of about 0.8.

Run: python3 templates/example/generate.py
"""
import csv
import datetime
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

COLUMNS = [
    "customer_id", "signup_date", "region", "segment", "contract", "age", "annual_income",
    "tenure_months", "monthly_charges", "support_calls_90d", "days_since_last_login",
    "satisfaction_score", "has_autopay", "paperless_billing", "label",
]

REGIONS = ["north", "south", "east", "west", "central"]
REFERENCE_REGION_WEIGHTS = [0.24, 0.18, 0.22, 0.21, 0.15]
CURRENT_REGION_WEIGHTS = [0.17, 0.36, 0.18, 0.17, 0.12]
SEGMENTS = ["consumer", "small_business", "enterprise"]
SEGMENT_WEIGHTS = [0.68, 0.24, 0.08]
CONTRACTS = ["month-to-month", "one-year", "two-year"]
CONTRACT_WEIGHTS = [0.52, 0.27, 0.21]


def customer(rng, number, snapshot, drifted):
    """One customer row as a dict of strings."""
    segment = rng.choices(SEGMENTS, SEGMENT_WEIGHTS)[0]
    region = rng.choices(REGIONS, CURRENT_REGION_WEIGHTS if drifted else REFERENCE_REGION_WEIGHTS)[0]
    contract = rng.choices(CONTRACTS, CONTRACT_WEIGHTS)[0]
    tenure = min(239, int(rng.expovariate(1 / 30)))
    signup = snapshot - datetime.timedelta(days=tenure * 30 + rng.randint(0, 29))
    age = max(18, min(90, int(rng.gauss(44, 14))))
    # Income is log-normal (right-skewed); the current population is wealthier and more spread.
    mu, sigma = (11.05, 0.62) if drifted else (10.85, 0.50)
    income = rng.lognormvariate(mu + (0.35 if segment != "consumer" else 0.0), sigma)
    base_charge = {"consumer": 55.0, "small_business": 95.0, "enterprise": 160.0}[segment]
    charges = max(12.0, rng.gauss(base_charge * (1.12 if drifted else 1.0), 22.0))
    calls = min(30, int(rng.expovariate(1 / 1.6)))
    last_login = min(365, int(rng.expovariate(1 / 12)))
    autopay = rng.random() < (0.35 if contract == "month-to-month" else 0.7)
    paperless = rng.random() < 0.6
    satisfaction = max(1.0, min(10.0, rng.gauss(7.0 - 0.45 * calls, 1.6)))

    score = (-2.0
             + 1.5 * (contract == "month-to-month") - 0.8 * (contract == "two-year")
             - 0.025 * tenure
             + 0.30 * calls
             + 0.045 * last_login
             - 0.40 * (satisfaction - 6.0)
             - 0.7 * autopay
             + 0.008 * (charges - 70.0)
             - 0.25 * (math.log(income) - 10.9)
             + 0.3 * (region == "south")
             # What the features cannot see: life events, competitors' offers.
             + rng.gauss(0.0, 1.1))
    churned = rng.random() < 1.0 / (1.0 + math.exp(-score))

    return {
        "customer_id": f"C{number:06d}",
        "signup_date": signup.isoformat(),
        "region": region,
        "segment": segment,
        "contract": contract,
        "age": str(age),
        "annual_income": f"{income:.2f}",
        "tenure_months": str(tenure),
        "monthly_charges": f"{charges:.2f}",
        "support_calls_90d": str(calls),
        "days_since_last_login": str(last_login),
        # About 4% of customers never answered the survey.
        "satisfaction_score": "" if rng.random() < 0.04 else f"{satisfaction:.1f}",
        "has_autopay": "true" if autopay else "false",
        "paperless_billing": "true" if paperless else "false",
        "label": "1" if churned else "0",
    }


# (row index in current.csv, column, broken value, what it breaks)
INVALID_ROWS = [
    (211, "annual_income", "unknown", "type-error: not a number"),
    (857, "age", "212", "constraint-error: maximum 100"),
    (1402, "customer_id", "", "constraint-error: required"),
    (2045, "signup_date", "2024-02-30", "type-error: no such date"),
    (2716, "contract", "weekly", "constraint-error: enum"),
]


def write(name, rows):
    with open(os.path.join(HERE, name), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main():
    rng = random.Random(20240630)
    reference_snapshot = datetime.date(2024, 6, 30)
    current_snapshot = datetime.date(2024, 12, 31)
    reference = [customer(rng, n, reference_snapshot, False) for n in range(1, 4001)]
    holdout = [customer(rng, n, reference_snapshot, False) for n in range(4001, 5001)]
    current = [customer(rng, n, current_snapshot, True) for n in range(5001, 8001)]
    for index, column, value, _ in INVALID_ROWS:
        current[index][column] = value
    write("reference.csv", reference)
    write("holdout.csv", holdout)
    write("current.csv", current)


if __name__ == "__main__":
    main()
