"""unspin: find the original behind a spun text, show every word the
spinner changed, and put the words back.

The functions return the same JSON as the ``unspin`` command line, as
Python dicts::

    import unspin
    report = unspin.compare(original, suspect)
    report["verdict"], report["spin_score"], report["substitutions"]

Resources are loaded once and passed to the calls that use them:
``unspin.LanguageModel(path)`` (``unspin lm build``), ``unspin.Index(path)``
(``unspin index add``), ``unspin.Lexicon(path)`` (``unspin learn``, or
``unspin.learn(pairs)``, ``unspin.learn_spun(texts, lm)``).

A text that cannot be read (empty, binary) raises ``ValueError``; a file
that cannot be opened, or is not what it should be, raises ``OSError``.
Corpus jobs on Spark are in ``unspin.spark``.

A long text's sentences are decoded on every core; ``unspin.set_threads(n)``
(once per process, before the first call) caps the threads a call uses.
"""

import json

from ._unspin import Index, LanguageModel, Lexicon, __version__, set_threads
from . import _unspin

__all__ = [
    "Index",
    "LanguageModel",
    "Lexicon",
    "check",
    "compare",
    "learn",
    "learn_spun",
    "restore",
    "score",
    "set_threads",
    "__version__",
]


def compare(source, suspect):
    """Align ``source`` and ``suspect``: verdict, spin score, passages and
    every substitution with character offsets on both sides and a kind."""
    return json.loads(_unspin.compare_json(source, suspect))


def check(text, index, top=5):
    """The sources of ``text`` in ``index`` (an ``Index``), best first:
    ``{"sources": [{"id", "title", "score", "report"}]}``."""
    return json.loads(_unspin.check_json(text, index, top))


def score(text, lm=None, lexicon=None):
    """How spun ``text`` looks on its own: ``{"spin_score", "verdict",
    "flagged", "method"}``. ``lm``: a ``LanguageModel``; without one only
    the lexicons speak (``method`` says so)."""
    return json.loads(_unspin.score_json(text, lm, lexicon))


def restore(text, index=None, lm=None, lexicon=None, min_confidence=0.0):
    """``text`` with the spinner's words put back: ``{"text", "edits",
    "method", "source"}``; from a source found in ``index`` where one
    aligns, elsewhere from the lexicons and the language model ``lm``.
    ``min_confidence``: make only edits at least this confident (an edit's
    confidence is the chance it restores the original)."""
    return json.loads(
        _unspin.restore_json(text, index, lm, lexicon, min_confidence)
    )


def learn(pairs):
    """Learns a spinner's table from ``(original, spun)`` text pairs (any
    iterable), as ``unspin learn`` does: a ``Lexicon`` to pass to
    ``restore`` and ``score``; ``.save(path)`` writes the file ``unspin
    learn`` writes. A content farm keeps one spinner, so the pairs found of
    its texts teach how to restore its others."""
    substitutions, counts = [], {}
    for original, spun in pairs:
        substitutions.extend(tuple(p) for p in json.loads(_unspin.learn_pair_json(original, spun)))
        _add_counts(counts, json.loads(_unspin.word_counts_json(original)))
    return Lexicon.build(substitutions, list(counts.items()))


def learn_spun(texts, lm, pairs=(), rounds=2, min_confidence=0.5):
    """Learns a spinner's table from spun ``texts`` alone (any iterable of
    strings; all by one spinner, a content farm's), as ``unspin learn
    --spun`` does: each round restores the texts with ``lm`` (a
    ``LanguageModel``) and the table so far (at first the one the
    ``(original, spun)`` ``pairs`` teach, if any), and learns from the
    restorations' edits at least ``min_confidence`` sure. A ``Lexicon``."""
    return _unspin.learn_spun(list(texts), lm, list(pairs), rounds, min_confidence)


def _add_counts(into, counts):
    for word, n in counts.items():
        into[word] = into.get(word, 0) + n
