"""Chinese full-text search that works: jieba with the course's dictionary, and a fixed stemmer.

Two problems of Sphinx's built-in ``zh`` search are solved here:

1. Compounds such as 梯度下降 are indexed only if jieba knows them. The course dictionary
   (``html_search_options["dict"]``, default ``docs/_static/../search/course_dict.txt``) is used
   as jieba's *main* dictionary: the build does not load jieba's 300 000-word default dictionary
   (about a second per build), and every course term is one index entry.
2. Sphinx 9.0 writes ``window.Stemmer = ChineseStemmer;`` into ``language_data.js`` although the
   Chinese search ships the *English* stemmer, so the search page fails with "ChineseStemmer is
   not defined" (sphinx-doc/sphinx#14229). We emit the stemmer code ourselves and take the class
   name from the stemmer file itself, which is right before and after the upstream fix.

jieba's cache file goes to ``.cache/jieba`` in the repository, not to the system temp folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jieba
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search.zh import SearchChinese

ROOT = Path(__file__).resolve().parents[2]
COURSE_DICT = Path(__file__).resolve().parents[1] / "search" / "course_dict.txt"
JIEBA_CACHE = ROOT / ".cache" / "jieba"
_MINIFIED = Path(__import__("sphinx.search", fromlist=["x"]).__file__).parent / "minified-js"


def stemmer_js(rawcode: str) -> str:
    """The base and language stemmers plus ``window.Stemmer = <class defined in the file>``."""
    base = (_MINIFIED / "base-stemmer.js").read_text(encoding="utf-8")
    lang = (_MINIFIED / rawcode).read_text(encoding="utf-8")
    match = re.search(r"\b(?:var|let|const|class)\s+([A-Za-z_]\w*Stemmer)\b", lang)
    if match is None:
        raise RuntimeError(f"no stemmer class found in {rawcode}")
    return "\n".join((base, lang, f"window.Stemmer = {match.group(1)};"))


class CourseChinese(SearchChinese):
    """``zh`` search with the course dictionary as jieba's dictionary and a correct stemmer."""

    js_stemmer_code = stemmer_js(SearchChinese.js_stemmer_rawcode or "english-stemmer.js")
    js_stemmer_rawcode = ""  # makes Sphinx use js_stemmer_code above

    def __init__(self, options: dict[str, str]) -> None:
        dict_path = Path(options.get("dict") or COURSE_DICT)
        if not dict_path.is_absolute() or not dict_path.is_file():
            raise FileNotFoundError(
                f"html_search_options['dict'] must be an absolute file: {dict_path}"
            )
        JIEBA_CACHE.mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(JIEBA_CACHE)
        jieba.setLogLevel(60)  # jieba prints "Building prefix dict..." to stderr otherwise
        if jieba.dt.dictionary != str(dict_path):
            jieba.set_dictionary(str(dict_path))
        super().__init__({**options, "dict": ""})  # the dictionary is already jieba's main one


def _configure(app: Sphinx, config: Config) -> None:
    options = dict(config.html_search_options or {})
    options.setdefault("dict", str(COURSE_DICT))
    config.html_search_options = options


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(CourseChinese)
    app.connect("config-inited", _configure)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
