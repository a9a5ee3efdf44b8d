#!/usr/bin/env bash
# A/B of two `unspin` binaries on the same restore: both run at the same
# time, each pinned to its own core with one rayon thread (swapping cores
# every run), so both see the same machine load; prints each one's median
# and least CPU seconds and the median ratio B/A. For changes too small to
# see through the noise of a shared machine in runs one after another.
#   bash benches/ab_restore.sh A B MODEL TEXT [RUNS]
# (CMD=score compares `unspin score` instead.)
set -euo pipefail
cmd=${CMD:-restore}
if [ $# -lt 4 ]; then
  echo "usage: ab_restore.sh A B MODEL TEXT [RUNS]" >&2
  exit 2
fi
a=$1 b=$2 model=$3 text=$4 runs=${5:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq "$runs"); do
  ca=$((i % 2)) cb=$(((i + 1) % 2))
  /usr/bin/time -f "A %U %S" -o "$work/a" env RAYON_NUM_THREADS=1 taskset -c "$ca" "$a" "$cmd" --lm "$model" "$text" > /dev/null 2>&1 &
  /usr/bin/time -f "B %U %S" -o "$work/b" env RAYON_NUM_THREADS=1 taskset -c "$cb" "$b" "$cmd" --lm "$model" "$text" > /dev/null 2>&1 &
  wait
  cat "$work/a" "$work/b"
done | awk '
  { cpu[$1, ++n[$1]] = $2 + $3 }
  function median(k, m,   i, j, t, v) {
    for (i = 1; i <= m; i++) v[i] = cpu[k, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
  }
  END {
    m = n["A"]
    for (i = 1; i <= m; i++) { cpu["R", i] = cpu["B", i] / cpu["A", i] }
    printf "A: CPU median %.3f s\nB: CPU median %.3f s\nB/A median ratio %.3f (%d runs)\n", median("A", m), median("B", m), median("R", m), m
  }'
