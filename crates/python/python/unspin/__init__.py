"""unspin: find the original behind a spun text, show every word the
spinner changed, and put the words back.

The functions return the same JSON as the ``unspin`` command line, as
Python dicts::

    import unspin
    report = unspin.compare(original, suspect)
    report["verdict"], report["spin_score"], report["substitutions"]

Resources are loaded once and passed to the calls that use them:
``unspin.LanguageModel(path)`` (``unspin lm build``), ``unspin.Index(path)``
(``unspin index add``), ``unspin.Lexicon(path)`` (``unspin learn``).

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


def restore(text, index=None, lm=None, lexicon=None):
    """``text`` with the spinner's words put back: ``{"text", "edits",
    "method", "source"}``; from a source found in ``index`` where one
    aligns, elsewhere from the lexicons and the language model ``lm``."""
    return json.loads(_unspin.restore_json(text, index, lm, lexicon))
