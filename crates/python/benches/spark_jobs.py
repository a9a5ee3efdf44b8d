"""Throughput of the Spark corpus jobs against a plain Python loop over the
same texts, measured in the same run (the machine is shared and noisy).

    python crates/python/benches/spark_jobs.py [--data ../shared/data] [--lm FILE] [--workers 2]

Texts: the BBC News articles of ../shared/data (research use only; read in
place, never copied). Reports documents per second of `unspin.score` in a
loop (one process) and of `unspin.spark.score_texts` on Spark local[N], and
the same for `compare_pairs` on (article, article) pairs. Each Spark job runs
twice and the second run is timed (the first starts the Python workers).
"""

import argparse
import os
import pathlib
import sys
import time

import unspin


def articles(data):
    root = pathlib.Path(data) / "bbc-news"
    if not root.is_dir():
        sys.exit(f"spark_jobs: {root} not found (this benchmark needs ../shared/data)")
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(root.glob("*/*.txt"))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--lm", default=None)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    texts = articles(args.data)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    model = unspin.LanguageModel(args.lm) if args.lm else None

    t = time.time()
    for text in texts:
        unspin.score(text, model)
    loop = time.time() - t
    t = time.time()
    for text in texts:
        unspin.compare(text, text)
    loop_compare = time.time() - t

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from unspin.spark import compare_pairs, score_texts

    spark = (
        SparkSession.builder.master(f"local[{args.workers}]")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.createDataFrame([(x,) for x in texts], "text string").repartition(args.workers * 4).cache()
    df.count()
    def timed(job):
        # The first run starts the Python workers and warms their caches.
        job()
        t = time.time()
        job()
        return time.time() - t

    job = timed(lambda: score_texts(df, lm=args.lm).select("spin_score").collect())
    pairs = df.selectExpr("text as source", "text as suspect").cache()
    pairs.count()
    job_compare = timed(lambda: compare_pairs(pairs).select("verdict").collect())
    spark.stop()

    n = len(texts)
    print(f"{n} BBC articles, {mb:.1f} MB; model: {args.lm or 'none'}")
    print(f"score:   loop {n / loop:.0f} docs/s; spark local[{args.workers}] {n / job:.0f} docs/s (ratio {loop / job:.2f})")
    print(f"compare: loop {n / loop_compare:.0f} pairs/s; spark local[{args.workers}] {n / job_compare:.0f} pairs/s (ratio {loop_compare / job_compare:.2f})")


if __name__ == "__main__":
    main()
