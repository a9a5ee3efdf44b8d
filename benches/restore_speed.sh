#!/usr/bin/env bash
# Speed of `unspin restore` (language model, no source) and `unspin score` on
# about 1 MB of spun news text, against the same process doing no restoration
# (`unspin restore` without a model: read, tokenize, tortured-phrase scan),
# measured in the same run; wall time on all cores, CPU time, and wall time
# pinned to one core with one thread (MB/s per core). Then the same one-core
# figures on about 1 MB of books (the PAN suspicious documents, mostly
# Project Gutenberg, with their stray NUL bytes dropped): a text of longer
# sentences and more function words costs more per byte. Needs
# ../shared/data (BBC articles and PAN sources for the model; BBC business
# and tech articles, and PAN suspicious documents, spun by the test-only
# generator, as the texts).
#   bash benches/restore_speed.sh [RUNS]
set -euo pipefail
runs=${1:-3}
data=${DATA:-../shared/data}
if [ ! -d "$data/bbc-news" ]; then
  echo "restore_speed: $data/bbc-news not found (this benchmark needs ../shared/data)" >&2
  exit 2
fi
# Two builds: `--example` in one command would build the example alone
# and leave an older `unspin` in place.
cargo build -q --release -p unspin-cli --bin unspin
cargo build -q --release -p unspin-testkit --example gen_pair
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
# All of it first, then the head: `head` closing a pipe early would fail it.
cat "$data"/pan13-train/susp/*.txt | tr -d '\000' > "$work/books_all.txt"
head -c 1000000 "$work/books_all.txt" > "$work/book.txt"
./target/release/examples/gen_pair 0 "$work/bo.txt" "$work/books.txt" "$work/book.txt"
book_bytes=$(wc -c < "$work/books.txt")
# Wall and CPU (user + system) seconds of a command: per core is per CPU
# second, which a busy machine does not inflate the way it does wall time.
t() {
  local TIMEFORMAT='%R %U %S'
  { time "$@" > /dev/null 2>&1; } 2>&1 | awk '{ printf "%s %s", $1, $2 + $3 }'
}
# One core: the process pinned to CPU 0 with one rayon thread, so its wall
# time is the work of one core (no second core's share, no idle spinning).
one=(env RAYON_NUM_THREADS=1 taskset -c 0)
for i in $(seq "$runs"); do
  read -r bw bc <<< "$(t $bin restore "$work/spun.txt")"
  read -r lw lc <<< "$(t $bin restore --lm "$work/m.bin" "$work/spun.txt")"
  read -r l1 _ <<< "$(t "${one[@]}" $bin restore --lm "$work/m.bin" "$work/spun.txt")"
  read -r sw sc <<< "$(t $bin score --lm "$work/m.bin" "$work/spun.txt")"
  read -r s1 _ <<< "$(t "${one[@]}" $bin score --lm "$work/m.bin" "$work/spun.txt")"
  echo "$l1" >> "$work/restore_news"
  echo "$s1" >> "$work/score_news"
  awk -v b="$bytes" -v bw="$bw" -v bc="$bc" -v lw="$lw" -v lc="$lc" -v l1="$l1" -v sw="$sw" -v sc="$sc" -v s1="$s1" 'BEGIN {
    mb = b / 1e6
    printf "run: %.2f MB; baseline %.2f s wall, %.2f s CPU\n", mb, bw, bc
    printf "  restore --lm %.2f s wall (%.2f MB/s, ratio %.2f), %.2f s CPU; one core %.2f s (%.2f MB/s per core)\n", lw, mb/lw, lw/bw, lc, l1, mb/l1
    printf "  score --lm   %.2f s wall (%.2f MB/s, ratio %.2f), %.2f s CPU; one core %.2f s (%.2f MB/s per core)\n", sw, mb/sw, sw/bw, sc, s1, mb/s1 }'
done
for i in $(seq "$runs"); do
  read -r b1 _ <<< "$(t "${one[@]}" $bin restore --lm "$work/m.bin" "$work/books.txt")"
  read -r c1 _ <<< "$(t "${one[@]}" $bin score --lm "$work/m.bin" "$work/books.txt")"
  echo "$b1" >> "$work/restore_books"
  echo "$c1" >> "$work/score_books"
  awk -v b="$book_bytes" -v b1="$b1" -v c1="$c1" 'BEGIN {
    mb = b / 1e6
    printf "books: %.2f MB; one core: restore %.2f s (%.2f MB/s per core), score %.2f s (%.2f MB/s per core)\n", mb, b1, mb/b1, c1, mb/c1 }'
done
# The median of each one-core figure over the runs (a shared machine's load
# comes and goes; one run is not the speed).
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
for f in restore_news score_news restore_books score_books; do
  case $f in *news) b=$bytes ;; *) b=$book_bytes ;; esac
  m=$(median "$work/$f")
  awk -v f="$f" -v m="$m" -v b="$b" 'BEGIN { printf "median of %s, one core: %.2f s (%.2f MB/s per core)\n", f, m, b / 1e6 / m }'
done
