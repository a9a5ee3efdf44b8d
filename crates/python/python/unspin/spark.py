"""Corpus jobs on Apache Spark: each function takes a DataFrame and returns
it with result columns added, computed partition by partition on the
executors (which need the ``unspin`` wheel installed in the Python they
run, ``PYSPARK_PYTHON``).

Resources are given as **paths** (readable from every executor) and loaded
once per partition, not once per row. A row whose text cannot be read (null,
empty, binary) gets its result columns null and the reason in ``error``;
the job goes on. Each Python worker runs its texts on one thread
(``unspin.set_threads(1)``): Spark already runs one worker per core.

    from unspin.spark import compare_pairs
    out = compare_pairs(df, source="original", suspect="republished")
    out.filter("verdict = 'spun'").show()
"""

import json

import unspin


def _with_columns(df, fields, per_partition):
    from pyspark.sql.types import StructField, StructType

    schema = StructType(list(df.schema.fields) + [StructField(n, t, True) for n, t in fields])
    names = df.columns

    def run(rows):
        # Spark runs one Python worker per executor core already: each
        # worker's calls stay on one thread (a no-op if already set).
        unspin.set_threads(1)
        compute = per_partition()
        for row in rows:
            values = [row[n] for n in names]
            try:
                extra = compute(row)
            except (ValueError, OSError, TypeError) as e:
                extra = [None] * (len(fields) - 1) + [str(e)]
            yield values + list(extra)

    spark = df.sparkSession
    return spark.createDataFrame(df.rdd.mapPartitions(run), schema)


def _text(row, column):
    value = row[column]
    if value is None:
        raise ValueError(f"{column}: is null (no text to read)")
    return value


def compare_pairs(df, source="source", suspect="suspect"):
    """Adds ``verdict``, ``spin_score``, ``substitutions`` (their number),
    ``report`` (the compare report as JSON) and ``error``."""
    from pyspark.sql.types import DoubleType, IntegerType, StringType

    def per_partition():
        def compute(row):
            r = unspin.compare(_text(row, source), _text(row, suspect))
            return [r["verdict"], float(r["spin_score"]), len(r["substitutions"]), json.dumps(r), None]

        return compute

    fields = [
        ("verdict", StringType()),
        ("spin_score", DoubleType()),
        ("substitutions", IntegerType()),
        ("report", StringType()),
        ("error", StringType()),
    ]
    return _with_columns(df, fields, per_partition)


def score_texts(df, text="text", lm=None, lexicon=None):
    """Adds ``spin_score``, ``verdict``, ``flagged`` (their number),
    ``report`` (JSON) and ``error``. ``lm``, ``lexicon``: paths."""
    from pyspark.sql.types import DoubleType, IntegerType, StringType

    def per_partition():
        model = unspin.LanguageModel(lm) if lm else None
        learned = unspin.Lexicon(lexicon) if lexicon else None

        def compute(row):
            r = unspin.score(_text(row, text), model, learned)
            return [float(r["spin_score"]), r["verdict"], len(r["flagged"]), json.dumps(r), None]

        return compute

    fields = [
        ("spin_score", DoubleType()),
        ("verdict", StringType()),
        ("flagged", IntegerType()),
        ("report", StringType()),
        ("error", StringType()),
    ]
    return _with_columns(df, fields, per_partition)


def restore_texts(
    df, text="text", index=None, lm=None, lexicon=None, min_confidence=0.0
):
    """Adds ``restored`` (the text), ``edits`` (their number), ``method``,
    ``report`` (JSON) and ``error``. ``index``, ``lm``, ``lexicon``: paths;
    without ``lm``, the index's own model is used if it keeps one.
    ``min_confidence``: make only edits at least this confident."""
    from pyspark.sql.types import IntegerType, StringType

    def per_partition():
        idx = unspin.Index(index) if index else None
        model_path = lm or (idx.lm_path() if idx is not None else None)
        model = unspin.LanguageModel(model_path) if model_path else None
        learned = unspin.Lexicon(lexicon) if lexicon else None

        def compute(row):
            r = unspin.restore(
                _text(row, text), idx, model, learned, min_confidence
            )
            return [r["text"], len(r["edits"]), r["method"], json.dumps(r), None]

        return compute

    fields = [
        ("restored", StringType()),
        ("edits", IntegerType()),
        ("method", StringType()),
        ("report", StringType()),
        ("error", StringType()),
    ]
    return _with_columns(df, fields, per_partition)


def check_texts(df, index, text="text", top=5):
    """Adds ``source`` (the best source's id), ``source_verdict``,
    ``source_score`` (share of the text it explains), ``sources`` (the
    check report as JSON) and ``error``. ``index``: a path."""
    from pyspark.sql.types import DoubleType, StringType

    def per_partition():
        idx = unspin.Index(index)

        def compute(row):
            r = unspin.check(_text(row, text), idx, top)
            best = r["sources"][0] if r["sources"] else None
            return [
                best["id"] if best else None,
                best["report"]["verdict"] if best else None,
                float(best["score"]) if best else None,
                json.dumps(r),
                None,
            ]

        return compute

    fields = [
        ("source", StringType()),
        ("source_verdict", StringType()),
        ("source_score", DoubleType()),
        ("sources", StringType()),
        ("error", StringType()),
    ]
    return _with_columns(df, fields, per_partition)


def learn_lexicon(df, original="original", spun="spun"):
    """Learns a spinner's table from a DataFrame of (original, spun) text
    pairs, each partition's pairs aligned on its executor: returns
    ``(lexicon, skipped)``, an ``unspin.Lexicon`` (``.save(path)`` writes
    the file ``unspin learn`` writes) and the number of rows whose texts
    could not be read (null, empty, binary), which are left out."""

    def run(rows):
        unspin.set_threads(1)
        substitutions, counts, skipped = [], {}, 0
        for row in rows:
            try:
                o, s = _text(row, original), _text(row, spun)
                found = json.loads(unspin._unspin.learn_pair_json(o, s))
                words = json.loads(unspin._unspin.word_counts_json(o))
            except (ValueError, TypeError):
                skipped += 1
                continue
            substitutions.extend(found)
            unspin._add_counts(counts, words)
        yield substitutions, counts, skipped

    substitutions, counts, skipped = [], {}, 0
    for found, words, bad in df.select(original, spun).rdd.mapPartitions(run).collect():
        substitutions.extend(tuple(p) for p in found)
        unspin._add_counts(counts, words)
        skipped += bad
    return unspin.Lexicon.build(substitutions, list(counts.items())), skipped


def learn_spun_lexicon(df, lm, text="text", rounds=2, min_confidence=0.5, lexicon_dir=None):
    """Learns a spinner's table from a DataFrame of spun texts alone (all by
    one spinner, a content farm's), as ``unspin learn --spun`` does: each
    round restores the texts on the executors (``restore_texts`` with the
    language model ``lm``, a path, and the table of the round before),
    keeping only edits at least ``min_confidence`` sure, and learns from
    the (restoration, text) pairs (``learn_lexicon``). Each round's table
    is written to ``lexicon_dir`` (a directory every executor can read; a
    new temporary one by default) for the next round to load. Returns
    ``(lexicon, skipped)``: the last round's ``unspin.Lexicon`` and the
    number of rows whose texts could not be read, which are left out."""
    import os
    import tempfile

    lexicon_dir = lexicon_dir or tempfile.mkdtemp(prefix="unspin-learn-")
    path, lexicon, skipped = None, None, 0
    for n in range(1, max(1, rounds) + 1):
        restored = restore_texts(df, text=text, lm=lm, lexicon=path, min_confidence=min_confidence).cache()
        good = restored.filter(restored["error"].isNull())
        lexicon, _ = learn_lexicon(good.select(good["restored"].alias("original"), good[text].alias("spun")))
        skipped = restored.filter(restored["error"].isNotNull()).count()
        restored.unpersist()
        path = os.path.join(lexicon_dir, f"round-{n}.json")
        lexicon.save(path)
    return lexicon, skipped
