#!/bin/sh
# predict.sh MODEL DATA OUTPUT: one row of prediction and score per data row, in order.
set -eu
awk -F, '
FNR == NR { rate[$1] = $2; next }
FNR == 1 { for (i = 1; i <= NF; i++) { if ($i == "sex") s = i; if ($i == "pclass") c = i }; print "prediction,score"; next }
{ key = $s "/" $c; p = (key in rate) ? rate[key] : 0.5; printf "%d,%.6f\n", (p >= 0.5), p }
' "$1" "$2" > "$3"
