#!/usr/bin/env python3
"""MinHash LSH baseline for `unspin check` on the same corpus and queries.

Reads corpus.jsonl ({"id", "text"}) and queries.jsonl ({"target", "text"})
written by `unspin-eval scale --export DIR`, builds a rensa RMinHashLSH
index of word 3-gram shingles (128 permutations, 16 bands, threshold 0.5, the
usual near-duplicate setting), and reports recall@1 (the planted original is
a candidate and the most similar one) and query times, to compare with
unspin's figures printed by the same run (benches/index_vs_minhash.sh).
"""
import json
import sys
import time

import rensa

NUM_PERM, BANDS, THRESHOLD = 128, 16, 0.5


def shingles(text, n=3):
    w = text.lower().split()
    return [" ".join(w[i:i + n]) for i in range(max(1, len(w) - n + 1))]


def main():
    d = sys.argv[1]
    lsh = rensa.RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=BANDS)
    sigs, ids = [], []
    t0 = time.time()
    size = 0
    with open(f"{d}/corpus.jsonl", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            doc = json.loads(line)
            size += len(doc["text"].encode())
            m = rensa.RMinHash(num_perm=NUM_PERM, seed=42)
            m.update(shingles(doc["text"]))
            lsh.insert(k, m)
            sigs.append(m)
            ids.append(doc["id"])
    build = time.time() - t0
    hits, found, times = 0, 0, []
    with open(f"{d}/queries.jsonl", encoding="utf-8") as fh:
        queries = [json.loads(l) for l in fh]
    for q in queries:
        t = time.time()
        m = rensa.RMinHash(num_perm=NUM_PERM, seed=42)
        m.update(shingles(q["text"]))
        cands = lsh.query(m)
        best = max(cands, key=lambda c: sigs[c].jaccard(m), default=None)
        times.append((time.time() - t) * 1000)
        if any(ids[c] == q["target"] for c in cands):
            found += 1
        if best is not None and ids[best] == q["target"]:
            hits += 1
    times.sort()
    pct = lambda p: times[round((len(times) - 1) * p)]
    print(f"minhash-lsh (rensa, word 3-grams, {NUM_PERM} perm, {BANDS} bands): {len(ids)} docs "
          f"indexed at {size / 1e6 / build:.1f} MB/s; {len(queries)} queries: candidate recall "
          f"{found / len(queries):.4f}, recall@1 {hits / len(queries):.4f}, p50 {pct(0.5):.1f} ms, "
          f"p99 {pct(0.99):.1f} ms")


if __name__ == "__main__":
    main()
