"""Tests of the unspin wheel (run after installing it):

    python -m unittest discover -s crates/python/tests -v

The Spark tests need pyspark and Java; with UNSPIN_REQUIRE_SPARK=1 (as CI
sets it) a missing pyspark is a failure, not a skip.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

import unspin

PAIRS = pathlib.Path(__file__).resolve().parents[3] / "testdata" / "pairs"


def fixture(name):
    return (PAIRS / name).read_text(encoding="utf-8")


class Facade(unittest.TestCase):
    def test_compare_finds_the_spin_with_offsets_into_both_texts(self):
        source, suspect = fixture("01.source.txt"), fixture("01.suspect.txt")
        r = unspin.compare(source, suspect)
        self.assertEqual(r["verdict"], "spun")
        self.assertTrue(r["substitutions"])
        for s in r["substitutions"]:
            # Offsets are characters, as Python counts them.
            self.assertEqual(source[s["source"]["start"]:s["source"]["end"]], s["source"]["text"])
            self.assertEqual(suspect[s["suspect"]["start"]:s["suspect"]["end"]], s["suspect"]["text"])

    def test_restore_and_score_without_a_model_use_the_lexicons(self):
        text = "We train a counterfeit consciousness model on the data set."
        r = unspin.restore(text)
        self.assertEqual(r["method"], "lexicon-only")
        self.assertIn("artificial intelligence", r["text"])
        # A known tortured phrase's edit is 0.9 confident.
        self.assertEqual(unspin.restore(text, min_confidence=0.95)["text"], text)
        with self.assertRaises(ValueError):
            unspin.restore(text, min_confidence=1.5)
        s = unspin.score(text)
        self.assertIn("artificial intelligence", [f["suggested"] for f in s["flagged"]])

    def test_learn_a_spinners_table_from_pairs_and_restore_with_it(self):
        pairs = [(fixture(f"{n}.source.txt"), fixture(f"{n}.suspect.txt")) for n in ("01", "02", "03")]
        lexicon = unspin.learn(pairs)
        self.assertGreater(len(lexicon), 0)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "lexicon.json")
            lexicon.save(path)
            table = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
            self.assertEqual(table["format"], "unspin-learned-lexicon")
            self.assertIn(["clergyman", "minister"], [[s["spun"], s["original"]] for s in table["substitutions"]])
            self.assertGreater(table["words"]["minister"], 0)
            self.assertEqual(len(unspin.Lexicon(path)), len(lexicon))
        # Without a model, its phrases are restored (its words need one).
        r = unspin.restore("The city hall leader spoke close to the station.", lexicon=lexicon)
        self.assertEqual(r["text"], "The mayor spoke near the station.", r)
        with self.assertRaises(ValueError):
            unspin.learn([("", "spun")])

    def test_threads_are_set_once_per_process(self):
        with self.assertRaises(ValueError):
            unspin.set_threads(0)
        first = unspin.set_threads(2)
        self.assertIsInstance(first, bool)
        # The pool exists now: a second setting is refused, calls go on.
        self.assertFalse(unspin.set_threads(1))
        text = "We train a counterfeit consciousness model on the data set."
        self.assertIn("artificial intelligence", unspin.restore(text)["text"])

    def test_bad_input_raises_one_line_errors(self):
        for bad in ["", "a\0b"]:
            with self.assertRaises(ValueError) as e:
                unspin.score(bad)
            self.assertNotIn("\n", str(e.exception))
        with self.assertRaises(ValueError):
            unspin.compare("", "text")
        with self.assertRaises(TypeError):
            unspin.compare(None, "text")
        with self.assertRaises(OSError) as e:
            unspin.LanguageModel("/nonexistent/model.bin")
        self.assertNotIn("\n", str(e.exception))
        with tempfile.NamedTemporaryFile(suffix=".bin") as f:
            f.write(b"not a model at all")
            f.flush()
            with self.assertRaises(OSError):
                unspin.LanguageModel(f.name)


def have_cli():
    return shutil.which("unspin") is not None or os.environ.get("UNSPIN_CLI")


class WithIndex(unittest.TestCase):
    """An index and a model built by the CLI (path in UNSPIN_CLI)."""

    @classmethod
    def setUpClass(cls):
        cli = os.environ.get("UNSPIN_CLI") or shutil.which("unspin")
        if not cli:
            raise unittest.SkipTest("needs the unspin CLI (UNSPIN_CLI=path)")
        cls.dir = tempfile.mkdtemp()
        cls.index = os.path.join(cls.dir, "idx")
        sources = [str(PAIRS / f"{n}.source.txt") for n in ("01", "02", "03")]
        subprocess.run([cli, "index", "add", "--index", cls.index, *sources], check=True, capture_output=True)
        subprocess.run([cli, "lm", "build", "--index", cls.index], check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_check_and_restore_from_the_found_source(self):
        index = unspin.Index(self.index)
        self.assertIsNotNone(index.lm_path())
        r = unspin.check(fixture("02.suspect.txt"), index)
        self.assertTrue(r["sources"][0]["id"].endswith("02.source.txt"), r)
        lm = unspin.LanguageModel(index.lm_path())
        r = unspin.restore(fixture("02.suspect.txt"), index, lm)
        self.assertTrue(r["source"].endswith("02.source.txt"), r)
        self.assertTrue(r["edits"])

    def test_learn_a_spinners_table_from_spun_texts_alone(self):
        lm = unspin.LanguageModel(unspin.Index(self.index).lm_path())
        texts = [fixture(f"{n}.suspect.txt") for n in ("01", "02", "03")]
        lexicon = unspin.learn_spun(texts, lm, rounds=1, min_confidence=0.0)
        self.assertGreater(len(lexicon), 0)
        # Only edits at least as sure as asked teach it: none is certain.
        self.assertEqual(len(unspin.learn_spun(texts, lm, min_confidence=1.0)), 0)
        self.assertLessEqual(len(unspin.learn_spun(texts, lm)), len(lexicon))
        with self.assertRaises(ValueError):
            unspin.learn_spun(["", "spun"], lm)
        with self.assertRaises(ValueError):
            unspin.learn_spun(texts, lm, min_confidence=2)


class Spark(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            if os.environ.get("UNSPIN_REQUIRE_SPARK") == "1":
                raise
            raise unittest.SkipTest("pyspark is not installed")
        # The executors' Python must be the one the wheel is installed in.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        cls.spark = (
            SparkSession.builder.master("local[2]")
            .appName("unspin-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate()
        )
        cls.spark.sparkContext.setLogLevel("ERROR")

    @classmethod
    def tearDownClass(cls):
        cls.spark.stop()

    def test_compare_pairs_adds_verdicts_and_keeps_going_past_a_bad_row(self):
        from unspin.spark import compare_pairs

        rows = [(n, fixture(f"{n}.source.txt"), fixture(f"{n}.suspect.txt")) for n in ("01", "02", "03")]
        rows.append(("bad", "", "some text"))
        rows.append(("null", None, "some text"))
        df = self.spark.createDataFrame(rows, "name string, source string, suspect string").repartition(2)
        out = {r["name"]: r for r in compare_pairs(df).collect()}
        for n in ("01", "02", "03"):
            self.assertEqual(out[n]["verdict"], "spun", out[n]["error"])
            self.assertGreater(out[n]["substitutions"], 0)
            direct = unspin.compare(fixture(f"{n}.source.txt"), fixture(f"{n}.suspect.txt"))
            self.assertEqual(json.loads(out[n]["report"]), direct)
        for n in ("bad", "null"):
            self.assertIsNone(out[n]["verdict"])
            self.assertIn("source", out[n]["error"])

    def test_learn_lexicon_on_the_executors_as_on_the_driver(self):
        from unspin.spark import learn_lexicon

        pairs = [(fixture(f"{n}.source.txt"), fixture(f"{n}.suspect.txt")) for n in ("01", "02", "03")]
        df = self.spark.createDataFrame(pairs + [("", "spun"), (None, "spun")], "original string, spun string")
        lexicon, skipped = learn_lexicon(df.repartition(2))
        self.assertEqual(skipped, 2)
        with tempfile.TemporaryDirectory() as d:
            a, b = os.path.join(d, "a.json"), os.path.join(d, "b.json")
            lexicon.save(a)
            unspin.learn(pairs).save(b)
            self.assertEqual(json.loads(pathlib.Path(a).read_text()), json.loads(pathlib.Path(b).read_text()))

    def test_learn_spun_lexicon_on_the_executors_as_on_the_driver(self):
        from unspin.spark import learn_spun_lexicon

        cli = os.environ.get("UNSPIN_CLI") or shutil.which("unspin")
        if not cli:
            self.skipTest("needs the unspin CLI (UNSPIN_CLI=path)")
        with tempfile.TemporaryDirectory() as d:
            model = os.path.join(d, "lm.bin")
            sources = [str(PAIRS / f"{n}.source.txt") for n in ("01", "02", "03")]
            subprocess.run([cli, "lm", "build", "-o", model, *sources], check=True, capture_output=True)
            texts = [fixture(f"{n}.suspect.txt") for n in ("01", "02", "03")]
            df = self.spark.createDataFrame([(t,) for t in texts] + [("",), (None,)], "text string")
            lexicon, skipped = learn_spun_lexicon(df.repartition(2), model, lexicon_dir=d)
            self.assertEqual(skipped, 2)
            self.assertGreater(len(lexicon), 0)
            a, b = os.path.join(d, "a.json"), os.path.join(d, "b.json")
            lexicon.save(a)
            unspin.learn_spun(texts, unspin.LanguageModel(model)).save(b)
            self.assertEqual(json.loads(pathlib.Path(a).read_text()), json.loads(pathlib.Path(b).read_text()))

    def test_score_and_restore_texts(self):
        from unspin.spark import restore_texts, score_texts

        df = self.spark.createDataFrame(
            [("We train a counterfeit consciousness model.",), ("Plain words about the weather today.",)], "text string"
        )
        scored = {r["text"]: r for r in score_texts(df).collect()}
        self.assertGreater(scored["We train a counterfeit consciousness model."]["flagged"], 0)
        restored = [r["restored"] for r in restore_texts(df).collect()]
        self.assertIn("We train an artificial intelligence model.", restored)


if __name__ == "__main__":
    unittest.main()
