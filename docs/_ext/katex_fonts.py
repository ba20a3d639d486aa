"""KaTeX's stylesheet with its fonts cut down to the glyphs the site's formulas use.

KaTeX's HTML output picks a font for each character through CSS classes (``mathnormal`` is
KaTeX_Math italic, ``delimsizing size2`` is KaTeX_Size2, anything else inherits KaTeX_Main from
``.katex``). :func:`glyphs_of` replays that cascade over the rendered HTML, using the font
rules of the vendored ``katex.min.css`` itself, and records which characters land in which face.
:func:`stylesheet` then writes one CSS file: the KaTeX rules plus an ``@font-face`` for each face
that is used, holding a WOFF2 subset (fontTools) of just those characters as a ``data:`` URI, so a
page with maths makes one request for its whole typography.

The fonts are SIL OFL 1.1 with Reserved Font Names (``KaTeX_Main`` …). A subset is a Modified
Version under the OFL, so the subsets and the CSS call the families ``CourseMath_*`` instead;
copyright and licence stay in each font's ``name`` table, and ``OFL.txt`` ships beside the CSS.
"""

from __future__ import annotations

import base64
import io
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import unescape
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "katex"
#: what the subsets and the stylesheet call the families (the OFL reserves ``KaTeX_*``)
FAMILY_PREFIX = "CourseMath_"

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_NAME_IDS_TO_RENAME = (1, 3, 4, 6, 16, 17)


@dataclass(frozen=True, order=True)
class Face:
    """One ``@font-face`` of KaTeX's stylesheet."""

    family: str
    weight: int
    style: str
    file: str  # the .woff2 file name in ``katex/fonts``


@dataclass(frozen=True)
class _Compound:
    tag: str | None
    classes: frozenset[str]


@dataclass(frozen=True)
class _Rule:
    """A rule of the stylesheet that sets font-family, font-weight or font-style."""

    selector: tuple[tuple[str, _Compound], ...]  # (combinator before it, compound), left to right
    specificity: tuple[int, int, int]  # (class count, tag count, source order)
    props: tuple[tuple[str, str], ...]


def _weight(value: str) -> int:
    return {"normal": 400, "bold": 700}.get(value, int(value) if value.isdigit() else 400)


def _font_props(body: str) -> dict[str, str]:
    """``family``/``weight``/``style`` set by a declaration block (``font`` shorthand included)."""
    props: dict[str, str] = {}
    for decl in body.split(";"):
        name, _, value = decl.partition(":")
        name, value = name.strip(), value.strip()
        if name == "font-family":
            props["family"] = value.split(",")[0].strip().strip("\"'")
        elif name == "font-weight":
            props["weight"] = str(_weight(value))
        elif name == "font-style":
            props["style"] = value
        elif name == "font":  # e.g. "normal 1.21em KaTeX_Main,Times New Roman,serif"
            words = value.split()
            size = next((i for i, w in enumerate(words) if re.match(r"[\d.]", w)), len(words) - 2)
            props["style"] = "italic" if "italic" in words[:size] else "normal"
            props["weight"] = str(max([_weight(w) for w in words[:size]] + [400]))
            props["family"] = " ".join(words[size + 1 :]).split(",")[0].strip().strip("\"'")
    return props


def _parse_selector(text: str) -> tuple[tuple[str, _Compound], ...] | None:
    parts: list[tuple[str, _Compound]] = []
    combinator = " "
    for token in re.findall(r">|[^\s>]+", text):
        if token == ">":
            combinator = ">"
            continue
        match = re.fullmatch(r"([a-z]+)?((?:\.[\w-]+)*)", token)
        if not match:
            return None  # pseudo-classes, attributes: no font rule of KaTeX uses them
        classes = frozenset(c for c in match.group(2).split(".") if c)
        parts.append((combinator, _Compound(match.group(1), classes)))
        combinator = " "
    return tuple(parts)


class KatexStyles:
    """The vendored ``katex.min.css``: its faces, its font rules and the rest of its rules."""

    def __init__(self, css: str) -> None:
        self.css = css
        self.faces: list[Face] = []
        self.rules: list[_Rule] = []
        for order, match in enumerate(_RULE.finditer(css)):
            selectors, body = match.group(1).strip(), match.group(2)
            if selectors == "@font-face":
                props = _font_props(body)
                src = re.search(r"url\(fonts/([\w-]+\.woff2)\)", body)
                if src:
                    face = Face(props["family"], int(props["weight"]), props["style"], src[1])
                    self.faces.append(face)
                continue
            props = _font_props(body)
            if not props:
                continue
            for selector in selectors.split(","):
                parsed = _parse_selector(selector.strip())
                if parsed:
                    classes = sum(len(c.classes) for _, c in parsed)
                    tags = sum(c.tag is not None for _, c in parsed)
                    self.rules.append(_Rule(parsed, (classes, tags, order), tuple(props.items())))
        self._states: dict[tuple[int, _Compound], int] = {}
        self._props: list[dict[str, str]] = [{}]
        self._hidden: list[bool] = [False]
        self._faces: list[Face | None] = [None]
        # rules by a class (or the tag) their last compound needs: only those can match an element
        self._index: dict[str, list[_Rule]] = {}
        for rule in self.rules:
            last = rule.selector[-1][1]
            key = min(last.classes) if last.classes else f"<{last.tag}>"
            self._index.setdefault(key, []).append(rule)

    def candidates(self, element: _Compound) -> Iterable[_Rule]:
        """The rules whose last compound may fit ``element``."""
        for key in (*element.classes, f"<{element.tag}>"):
            yield from self._index.get(key, ())

    def enter(self, parent: int, element: _Compound, chain: list[_Compound]) -> int:
        """The state (an id of the element chain) after entering ``element`` from ``parent``.

        Each state knows its computed font properties; ``chain`` (ending with ``element``) is
        only read the first time a (parent, element) pair is seen.
        """
        key = (parent, element)
        state = self._states.get(key)
        if state is None:
            best: dict[str, tuple[tuple[int, int, int], str]] = {}
            for rule in self.candidates(element):
                if _matches(rule.selector, chain):
                    for name, value in rule.props:
                        if name not in best or rule.specificity > best[name][0]:
                            best[name] = (rule.specificity, value)
            props = dict(self._props[parent])
            props.update({name: value for name, (_, value) in best.items()})
            # the MathML copy is drawn with the browser's maths font, never with KaTeX's
            hidden = self._hidden[parent] or "katex-mathml" in element.classes
            face = None
            if not hidden and "family" in props:
                weight, style = int(props.get("weight", "400")), props.get("style", "normal")
                face = self.face(props["family"], weight, style)
            state = len(self._props)
            self._props.append(props)
            self._hidden.append(hidden)
            self._faces.append(face)
            self._states[key] = state
        return state

    def state_face(self, state: int) -> Face | None:
        """The face that draws text directly inside the element of ``state``."""
        return self._faces[state]

    def without_font_faces(self) -> str:
        """The rules of the stylesheet, ``@font-face`` blocks removed, families renamed."""
        rest = re.sub(r"@font-face\{[^{}]*\}", "", self.css)
        return re.sub(r"\bKaTeX_(?=[A-Z])", FAMILY_PREFIX, rest)

    def face(self, family: str, weight: int, style: str) -> Face | None:
        """The face a browser picks for these properties (CSS font matching, simplified)."""
        candidates = [f for f in self.faces if f.family == family]
        if not candidates:
            return None
        same_style = [f for f in candidates if f.style == style] or candidates
        return min(same_style, key=lambda f: (abs(f.weight - weight), -f.weight))


def _matches(selector: tuple[tuple[str, _Compound], ...], chain: list[_Compound]) -> bool:
    """Does ``selector`` match the last element of ``chain`` (its ancestors before it)?"""

    def fits(compound: _Compound, element: _Compound) -> bool:
        tag_ok = compound.tag is None or compound.tag == element.tag
        return tag_ok and compound.classes <= element.classes

    def match(i: int, j: int) -> bool:
        combinator, compound = selector[i]
        if not fits(compound, chain[j]):
            return False
        if i == 0:
            return True
        if combinator == ">":
            return j > 0 and match(i - 1, j - 1)
        return any(match(i - 1, k) for k in range(j - 1, -1, -1))

    return match(len(selector) - 1, len(chain) - 1)


_TOKEN = re.compile(r"<(/?)([a-zA-Z]+)([^>]*?)(/?)>|([^<]+)")
_CLASS = re.compile(r'\bclass="([^"]*)"')
_VOID = frozenset({"br", "img", "path", "line", "rect", "use"})


def glyphs_of(html: str, styles: KatexStyles) -> dict[Face, set[str]]:
    """Which characters each face draws in KaTeX's HTML (``.katex-html``, not the MathML copy).

    KaTeX's output is machine-made, well-formed markup, so a tokenizer replays it: each element
    takes the font properties of the most specific matching rule, else its parent's.
    """
    glyphs: dict[Face, set[str]] = {}
    chain: list[_Compound] = []
    states: list[int] = [0]  # state 0: outside any element
    for closing, tag, attrs, self_closing, text in _TOKEN.findall(html):
        if text:
            face = styles.state_face(states[-1])
            if face is not None:
                chars = {ch for ch in unescape(text) if not ch.isspace()}
                if chars:
                    glyphs.setdefault(face, set()).update(chars)
        elif closing:
            if tag in _VOID:
                continue
            for i in range(len(chain) - 1, -1, -1):  # close up to the matching element
                if chain[i].tag == tag:
                    del chain[i:], states[i + 1 :]
                    break
        else:
            found = _CLASS.search(attrs)
            element = _Compound(tag, frozenset(found[1].split()) if found else frozenset())
            chain.append(element)
            states.append(styles.enter(states[-1], element, chain))
            if self_closing or tag in _VOID:
                chain.pop()
                states.pop()
    return glyphs


def subset_woff2(font_file: Path, text: str) -> bytes:
    """A WOFF2 subset of ``font_file`` with the glyphs of ``text``, its family renamed.

    Copyright, licence and licence URL (name IDs 0, 13, 14) stay in the font.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its INFO lists every glyph kept
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = ["*"]
    font = TTFont(str(font_file), recalcTimestamp=False)  # keep the font's own date: same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in _NAME_IDS_TO_RENAME:
            record.string = record.toUnicode().replace("KaTeX_", FAMILY_PREFIX)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def font_face(face: Face, woff2: bytes) -> str:
    data = base64.b64encode(woff2).decode("ascii")
    family = face.family.replace("KaTeX_", FAMILY_PREFIX)
    return (
        f"@font-face{{font-family:{family};font-style:{face.style};font-weight:{face.weight};"
        f'font-display:block;src:url(data:font/woff2;base64,{data}) format("woff2")}}'
    )


def merge(usages: Iterable[Mapping[Face, Iterable[str]]]) -> dict[Face, str]:
    """Per face, the sorted characters of all usages."""
    merged: dict[Face, set[str]] = {}
    for usage in usages:
        for face, chars in usage.items():
            merged.setdefault(face, set()).update(chars)
    return {face: "".join(sorted(chars)) for face, chars in sorted(merged.items())}


def stylesheet(styles: KatexStyles, glyphs: Mapping[Face, str], header: str, extra: str) -> str:
    """KaTeX's rules with one subset ``@font-face`` per used face, as one CSS text."""
    faces = [font_face(f, subset_woff2(VENDOR / "fonts" / f.file, t)) for f, t in glyphs.items()]
    return "\n".join([header, *faces, styles.without_font_faces(), extra, ""])
