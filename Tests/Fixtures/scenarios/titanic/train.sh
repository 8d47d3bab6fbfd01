#!/bin/sh
# A user's own trainer (no Python needed): the model is the survival rate of each
# (sex, class) group, smoothed towards one half. Sluice passes the data, the label and
# where the model goes as SLUICE_DATA, SLUICE_LABEL and SLUICE_MODEL.
set -eu
awk -F, -v label="$SLUICE_LABEL" '
NR == 1 { for (i = 1; i <= NF; i++) { if ($i == label) y = i; if ($i == "sex") s = i; if ($i == "pclass") c = i }; next }
{ key = $s "/" $c; n[key]++; k[key] += $y }
END { for (key in n) printf "%s,%.6f\n", key, (k[key] + 1) / (n[key] + 2) }
' "$SLUICE_DATA" | sort > "$SLUICE_MODEL"
echo "trained $(wc -l < "$SLUICE_MODEL") groups"
