"""The PDF edition, read back: text (pdftotext), fonts (pdffonts), images (pdfimages), outline,
links and metadata (pypdf), checked against the built HTML site and against the sources.

Nothing here trusts the book's own account: chapter membership comes from the running heads of
each page, figure counts and captions from the site's pages, glued numbers from the site's glue
output, a few numbers from closed forms computed here.
"""

from __future__ import annotations

import html as html_lib
import re
import subprocess
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from site_contract import LECTURES

pytestmark = pytest.mark.pdf

ROOT = Path(__file__).resolve().parents[2]
TITLE = "PyTorch 深度学习实践 · 课程笔记"

#: Terms each lecture must print (its teaching vocabulary).
KEY_TERMS = {
    1: ("机器学习", "维度诅咒", "表示学习", "反向传播", "链式法则", "计算图"),
    2: ("训练集", "开发集", "均方误差", "穷举", "代价", "断点重开"),
    3: ("梯度下降", "学习率", "鞍点", "局部最优", "指数加权"),
    4: ("随机梯度下降", "小批量", "mini-batch", "鞍点"),
}

#: Words of Sphinx's English LaTeX furniture that a Chinese book must not print.
ENGLISH_FURNITURE = re.compile(
    r"\bChapter\s+\d|\bCHAPTER\b|^\s*Contents\s*$|\bRelease\s+\d|^\s*Index\s*$|"
    r"Continued on next page|continues on next page|Python Module Index|"
    r"^\s*(?:Figure|Fig\.|Table|Listing)\s+\d|\bAppendix\b",
    re.MULTILINE,
)


def squash(text: str) -> str:
    """Text without any whitespace: pdftotext breaks lines where the book does."""
    return re.sub(r"\s+", "", text)


def chapter_of(page: str) -> str | None:
    """The chapter of a page: 3 for 第 3 章, A for 附录 A (from its running head or title)."""
    match = re.search(r"^\s*(?:第\s*(\d+)\s*章|附录\s*([A-Z]))", page, re.MULTILINE)
    if match is None:
        return None
    return match.group(1) or match.group(2)


def chapters(pages: list[str]) -> dict[str, str]:
    """Chapter -> the text of its pages, in whitespace-free form."""
    out: dict[str, str] = {}
    for page in pages:
        key = chapter_of(page)
        if key is not None:
            out[key] = out.get(key, "") + squash(page)
    return out


def lecture_html(site: Path, number: int) -> str:
    return (site / "lectures" / f"{LECTURES[number - 1]}.html").read_text("utf-8")


def strip_tags(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", fragment))


def html_captions(page: str) -> list[str]:
    """Captions of the page's numbered figures, in order, up to their first formula."""
    found = re.findall(
        r'<figcaption>\s*<p><span class="caption-number">[^<]*</span>'
        r'<span class="caption-text">(.*?)</span>',
        page,
        re.DOTALL,
    )
    return [strip_tags(c.split('<span class="math', 1)[0]) for c in found]


def html_glued(page: str) -> list[str]:
    """The glued values the page prints in its prose."""
    return [strip_tags(v) for v in re.findall(r'class="pasted-text">(.*?)</span>', page)]


# -- text ---------------------------------------------------------------------------------------
def test_book_has_cover_contents_front_matter_and_chapters(pages: list[str]) -> None:
    cover = pages[0]
    assert TITLE in cover
    assert "BV1Y7411d7Ys" in cover
    assert f"版本 {version('lecturelib')}" in cover
    assert re.search(r"\d{4} 年 \d{1,2} 月 \d{1,2} 日", cover), cover
    assert "目录" in pages[1]
    text = "\n".join(pages)
    assert "前言" in text
    for n in range(1, len(LECTURES) + 1):
        assert f"第 {n} 章" in text
    assert "附录 A" in text
    assert "附录 B" in text
    assert "附录 C" in text


def test_no_english_furniture(pages: list[str]) -> None:
    text = "\n".join(pages)
    found = sorted({m.group(0).strip() for m in ENGLISH_FURNITURE.finditer(text)})
    assert not found, f"English book furniture in the PDF: {found}"


def test_no_unresolved_references(pages: list[str]) -> None:
    for number, page in enumerate(pages, start=1):
        assert "??" not in page, f"page {number} prints '??' (an unresolved reference)"


def test_every_lecture_is_its_chapter_with_its_key_terms(pages: list[str]) -> None:
    by_chapter = chapters(pages)
    for n, terms in KEY_TERMS.items():
        body = by_chapter.get(str(n), "")
        missing = [t for t in terms if squash(t) not in body]
        assert not missing, f"第 {n} 章 lacks {missing}"


def test_glued_numbers_are_printed_in_their_chapter(site: Path, pages: list[str]) -> None:
    by_chapter = chapters(pages)
    for n in range(1, len(LECTURES) + 1):
        glued = html_glued(lecture_html(site, n))
        assert glued, f"lecture {n} has no glued numbers on the site"
        body = by_chapter[str(n)]
        missing = [g for g in glued if squash(g) not in body]
        assert not missing, f"第 {n} 章 does not print the site's glued values {missing}"


def test_numbers_from_closed_forms(pages: list[str]) -> None:
    body = chapters(pages)["1"]
    # exercise 1 of lecture 1: 5^20 and 5^3 samples, and their ratio 5^17
    for value in (5**20, 5**3, 5**17):
        assert f"{value:,d}" in body
    # lecture 1: a 28 × 28 binary image has 784 pixels and 2^784 has this many digits
    assert str(len(str(2**784))) in body


def test_solutions_follow_their_exercises(site: Path, pages: list[str]) -> None:
    """Every folded 解答 of the site is printed, inside its chapter, after an exercise."""
    by_chapter = chapters(pages)
    for n in range(1, len(LECTURES) + 1):
        page = lecture_html(site, n)
        summaries = re.findall(r"<summary[^>]*>(.*?)</summary>", page, re.DOTALL)
        solutions = [s for s in summaries if strip_tags(s).strip() == "解答"]
        body = by_chapter[str(n)]
        exercises = body.split("练习1", 1)
        assert len(exercises) == 2, f"第 {n} 章 has no 练习 1"
        printed = exercises[1].count("解答")
        assert printed >= len(solutions) > 0, (
            f"第 {n} 章 prints {printed} 解答 after 练习 1; the site folds {len(solutions)}"
        )


# -- figures ------------------------------------------------------------------------------------
def test_figures_are_numbered_per_chapter_like_the_site(site: Path, pages: list[str]) -> None:
    """Figure k of lecture N is 图 N.k, captioned as on the site, printed in 第 N 章."""
    by_chapter = chapters(pages)
    for n in range(1, len(LECTURES) + 1):
        captions = html_captions(lecture_html(site, n))
        assert captions, f"lecture {n} has no captioned figures on the site"
        body = by_chapter[str(n)]
        for k, caption in enumerate(captions, start=1):
            expected = squash(f"图 {n}.{k}") + squash(caption)[:12]
            assert expected in body, f"第 {n} 章 lacks 图 {n}.{k} captioned {caption[:30]!r}"
    text = "\n".join(pages)
    flat = re.findall(r"图\s*\d+(?![.\d])", text)
    assert not flat, f"figures numbered without their chapter: {flat[:5]}"


def placed_graphics(book: Path) -> tuple[int, int]:
    """Distinct vector figures (form XObjects) and raster images the book's pages place."""
    reader = _reader(book)
    forms: set[int] = set()
    images: set[int] = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for ref in (xobjects.get_object() if xobjects else {}).values():
            kind = ref.get_object().get("/Subtype")
            if kind == "/Form":
                forms.add(ref.idnum)
            elif kind == "/Image":
                images.add(ref.idnum)
    return len(forms), len(images)


def test_every_figure_of_the_site_is_in_the_book(site: Path, book: Path) -> None:
    figures = sum(
        len(re.findall(r"<img\b", lecture_html(site, n))) for n in range(1, len(LECTURES) + 1)
    )
    forms, images = placed_graphics(book)
    assert figures > 0
    assert forms + images >= figures, (
        f"{forms} vector + {images} raster in the PDF, {figures} on the site"
    )
    assert forms > 0, "no figure is printed as a vector graphic"


def test_raster_images_print_at_their_resolution(book: Path) -> None:
    """A PNG (an output without a vector copy) is printed at its 144 dpi, not blown up."""
    listing = subprocess.run(
        ["pdfimages", "-list", str(book)], capture_output=True, check=True, text=True
    ).stdout
    for line in listing.splitlines()[2:]:
        cols = line.split()
        if cols[2] == "image":
            assert min(int(cols[12]), int(cols[13])) >= 130, line


# -- fonts --------------------------------------------------------------------------------------
def test_every_font_is_embedded_and_free(book: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(book)], capture_output=True, check=True, text=True
    ).stdout
    rows = listing.splitlines()[2:]
    assert rows, listing
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, f"fonts not embedded:\n{chr(10).join(not_embedded)}"
    names = " ".join(row.split()[0] for row in rows)
    assert "NotoSansCJK" in names, "the Chinese text is not set in Noto Sans CJK"
    for proprietary in ("SimSun", "SimHei", "Microsoft", "STSong", "PingFang", "KaiTi"):
        assert proprietary not in names


# -- outline, links, metadata -------------------------------------------------------------------
def _reader(book: Path) -> Any:
    pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test group")
    return pypdf.PdfReader(str(book))


def lecture_titles() -> list[str]:
    """Each lecture page's title as the sources write it, without a hand-written "N. "."""
    titles = []
    for name in LECTURES:
        source = (ROOT / "docs" / "lectures" / f"{name}.md").read_text("utf-8")
        heading = re.search(r"^# (.+)$", source, re.MULTILINE)
        assert heading is not None
        titles.append(re.sub(r"^\d+\.\s*", "", heading.group(1).strip()))
    return titles


def test_bookmarks_by_chapter_and_section(book: Path) -> None:
    reader = _reader(book)
    outline = reader.outline
    top = [item for item in outline if not isinstance(item, list)]
    titles = [item.title for item in top]
    expected = [f"{n} {t}" for n, t in enumerate(lecture_titles(), start=1)]
    assert titles[0] == "前言"
    assert titles[1 : 1 + len(expected)] == expected
    assert [t.split(" ", 1)[0] for t in titles[1 + len(expected) :]] == ["A", "B", "C"]
    # each chapter's sections are nested under it, and chapters start on increasing pages
    starts = [reader.get_destination_page_number(item) for item in top]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)
    for i, item in enumerate(outline):
        if not isinstance(item, list) and item.title in expected:
            children = outline[i + 1]
            assert isinstance(children, list), item.title
            assert len(children) >= 3, item.title


def test_internal_links_land_on_named_destinations(book: Path) -> None:
    reader = _reader(book)
    names = set(reader.named_destinations)
    links = broken = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            if annot.get("/Subtype") != "/Link" or action is None:
                continue
            action = action.get_object()
            if action.get("/S") == "/GoTo":
                links += 1
                broken += str(action["/D"]) not in names
    assert links >= 50, f"only {links} internal links"
    assert broken == 0, f"{broken} of {links} internal links lead nowhere"


def test_metadata_title_is_the_chinese_course_title(book: Path) -> None:
    meta = _reader(book).metadata
    assert meta is not None
    assert meta.title == TITLE


# -- the site's copy ----------------------------------------------------------------------------
def test_home_page_links_the_pdf_only_when_the_site_carries_it(site: Path) -> None:
    """The built site never has a dead PDF link, nor a PDF it does not link."""
    home = (site / "index.html").read_text("utf-8")
    linked = re.search(r'href="(_downloads/course\.pdf)"', home) is not None
    copy = site / "_downloads" / "course.pdf"
    assert linked == copy.is_file(), f"link on the home page: {linked}; {copy}: {copy.exists()}"
    if linked:
        assert copy.read_bytes().startswith(b"%PDF-")
