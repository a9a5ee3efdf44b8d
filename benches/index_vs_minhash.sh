#!/usr/bin/env bash
# unspin's index and check against MinHash LSH (rensa) on the same synthetic
# corpus (real BBC sentences from ../shared/data) and the same planted spun
# copies, in one run. Usage: bash benches/index_vs_minhash.sh [DOCS] [QUERIES]
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-100000}
queries=${2:-1000}
if [ ! -d ../shared/data/bbc-news ]; then
  echo "index_vs_minhash: ../shared/data not found; nothing measured"; exit 0
fi
python3 -m pip install -q rensa >/dev/null 2>&1 || { echo "cannot install rensa"; exit 1; }
cargo build --release -q -p unspin-eval
out=$(mktemp -d)
./target/release/unspin-eval scale --docs "$docs" --queries "$queries" --export "$out"
python3 benches/minhash_baseline.py "$out"
rm -rf "$out"
