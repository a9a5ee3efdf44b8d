#!/usr/bin/env bash
# Speed of `unspin restore` (language model, no source) and `unspin score` on
# about 1 MB of spun news text, against the same process doing no restoration
# (`unspin restore` without a model: read, tokenize, tortured-phrase scan),
# measured in the same run. Needs ../shared/data (BBC articles and PAN
# sources for the model; BBC business and tech articles, spun by the
# test-only generator, as the text).
#   bash benches/restore_speed.sh [RUNS]
set -euo pipefail
runs=${1:-3}
data=${DATA:-../shared/data}
if [ ! -d "$data/bbc-news" ]; then
  echo "restore_speed: $data/bbc-news not found (this benchmark needs ../shared/data)" >&2
  exit 2
fi
cargo build -q --release -p unspin-cli -p unspin-testkit --example gen_pair
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=./target/release/unspin
start=$(date +%s.%N)
$bin lm build "$data/bbc-news" "$data/pan13-train/src" -o "$work/m.bin" 2>/dev/null
echo "lm build (BBC + PAN sources): $(echo "$(date +%s.%N) - $start" | bc) s"
cat "$data"/bbc-news/business/*.txt "$data"/bbc-news/tech/*.txt > "$work/all.txt"
head -c 1000000 "$work/all.txt" > "$work/orig.txt"
./target/release/examples/gen_pair 0 "$work/o.txt" "$work/spun.txt" "$work/orig.txt"
bytes=$(wc -c < "$work/spun.txt")
t() { local s; s=$(date +%s.%N); "$@" > /dev/null 2>&1; echo "$(date +%s.%N) - $s" | bc; }
for i in $(seq "$runs"); do
  base=$(t $bin restore "$work/spun.txt")
  lm=$(t $bin restore --lm "$work/m.bin" "$work/spun.txt")
  sc=$(t $bin score --lm "$work/m.bin" "$work/spun.txt")
  awk -v b="$bytes" -v base="$base" -v lm="$lm" -v sc="$sc" 'BEGIN {
    printf "run: %.2f MB; baseline %.2f s; restore --lm %.2f s (%.2f MB/s, ratio %.2f); score --lm %.2f s (%.2f MB/s, ratio %.2f)\n",
      b/1e6, base, lm, b/1e6/lm, lm/base, sc, b/1e6/sc, sc/base }'
done
