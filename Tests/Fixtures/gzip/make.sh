#!/usr/bin/env bash
# Writes the gzip fixtures with the real tools (Debian bookworm: bgzip from tabix 1.16,
# GNU gzip 1.12). Run from this directory; the files are committed, tests never run this.
#   rows.csv             5,000 rows, a few invalid against rows.schema.json
#   rows.bgzf.csv.gz     bgzip: independent 64 KiB members with BSIZE, then its empty EOF member
#   rows.members.csv.gz  the first 2,500 rows and the rest gzipped apart, then `cat`
set -euo pipefail
python3 - <<'PY'
regions = ["north", "south", "east", "west"]
with open("rows.csv", "w") as out:
    out.write("id,region,score,ok\n")
    for i in range(1, 5001):
        region = "nowhere" if i % 997 == 0 else regions[i * 7 % 4]
        score = "1.5" if i % 1231 == 0 else f"0.{i * 7919 % 10000:04d}"
        ident = "" if i == 4321 else str(i)
        out.write(f"{ident},{region},{score},{'true' if i % 3 else 'false'}\n")
PY
bgzip -c rows.csv > rows.bgzf.csv.gz
head -n 2501 rows.csv | gzip -9n > first.gz
tail -n +2502 rows.csv | gzip -9n > second.gz
cat first.gz second.gz > rows.members.csv.gz
rm first.gz second.gz
