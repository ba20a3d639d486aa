"""Lecture numbers in links: ``{doc}`04-sgd``` reads "4. 随机梯度下降", as in the sidebar.

The lectures' toctree in ``index.md`` is ``:numbered: 1``: Sphinx numbers each lecture (its
``<h1>``, the sidebar, the browser title, the previous/next links) and, with
``numfig_secnum_depth = 1``, its figures per lecture (图 N.k on page N). Only links written with
the ``doc`` role keep the bare title; this post-transform gives them the lecture's number too
(``html_secnumber_suffix`` after it, as Sphinx writes it elsewhere). A link with its own text
(``{doc}`下一讲 <04-sgd>```) and a link to an unnumbered page (glossary, API) are left alone.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join
from sphinx.util.nodes import clean_astext


def lecture_number(env: Any, docname: str) -> str | None:
    """``"4"`` for a document numbered ``4`` by a numbered toctree, else ``None``."""
    number = env.toc_secnumbers.get(docname, {}).get("")
    return ".".join(map(str, number)) if number else None


class NumberDocLinks(SphinxPostTransform):
    """Prefix the lecture number to the text of implicit ``doc`` links to numbered documents."""

    default_priority = 5  # before Sphinx's ReferencesResolver (10) turns them into links

    def run(self, **kwargs: Any) -> None:
        env = self.env
        suffix = self.config.html_secnumber_suffix
        for node in self.document.findall(addnodes.pending_xref):
            if node.get("refdomain") != "std" or node.get("reftype") != "doc":
                continue
            if node.get("refexplicit"):
                continue
            docname = docname_join(node.get("refdoc", env.docname), node["reftarget"])
            number = lecture_number(env, docname) if docname in env.all_docs else None
            if number is None:
                continue
            text = f"{number}{suffix}{clean_astext(env.titles[docname])}"
            node["refexplicit"] = True
            node.replace(node[0], nodes.inline(text, text, classes=node[0]["classes"]))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(NumberDocLinks)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
