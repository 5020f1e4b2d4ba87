"""Forms kept on the device, the filled-in PDF, and the toolkit offline (issue #16), in a real
browser (Debian's Chromium driven by Playwright) against one build of the project served at a
sub-path of 127.0.0.1, the address it was built for (``TOOLKIT_SITE_URL``).

Nothing here depends on the shipped words: the form pages are found from the content model
(every resource whose page has fields), every field on them is filled by its type, and the
filled-in PDF is read back with pikepdf field by field.
"""
from __future__ import annotations

import json
import re
import shutil
import socket
from pathlib import Path

import pikepdf
import pytest

from conftest import copy_project, run_build
from macros import i18n, offline, urls
from server import serve
from test_browser import AXE, _axe, _need

PREFIX = "/sub/"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: typed into every text field: Spanish letters and typographic quotes, all in the form font
TYPED = "Año “{name}” ñ é"
DATE = "11/20/2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def served(tmp_path_factory, toolkit):
    """The project built for ``http://127.0.0.1:<port>/sub/`` and served there:
    ``(base URL, site folder)``."""
    port = _free_port()
    root = copy_project(tmp_path_factory.mktemp("forms") / "project")
    base = f"http://127.0.0.1:{port}{PREFIX}"
    proc = run_build(root, "build", "--jobs", "2", env={"TOOLKIT_SITE_URL": base})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with serve(root / "site", PREFIX, port=port) as url:
        assert url == base
        yield base, root / "site"


def form_pages(toolkit) -> list[tuple[str, str]]:
    """``(language prefix, resource id)`` of every resource page with form fields, in every
    language."""
    ids = [rid for rid, r in toolkit.resources.items() if getattr(r, "phases", None) or any(
        part.fields or part.rating for part in getattr(r, "parts", []))]
    return [("" if lang == "en" else f"{lang}/", rid) for lang in i18n.LANGUAGES for rid in ids]



def open_form_with(page, base: str, toolkit, selector: str, english_only: bool = False, at_least: int = 1) -> str | None:
    """Open, in ``page``, the first form page of the content (English only, or every
    language) with at least ``at_least`` elements matching ``selector``; returns its resource
    id, or None when no page has them (the page last opened stays open)."""
    for prefix, rid in form_pages(toolkit):
        if prefix and english_only:
            continue
        page.goto(base + prefix + urls.resource_page(rid))
        if page.locator(selector).count() >= at_least:
            return rid
    return None


def _dark_pixels(pdf_path: Path, page_number: int, rect, out: Path) -> int:
    """Dark pixels inside ``rect`` (PDF points) of one page as Poppler draws it (``pdftoppm``,
    72 dpi: one pixel a point)."""
    import subprocess

    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", "-f", str(page_number), "-l", str(page_number), str(pdf_path), str(out)], check=True)
    image = Image.open(str(out) + ".png").convert("L")
    left, right = sorted([float(rect[0]), float(rect[2])])
    bottom, top = sorted([float(rect[1]), float(rect[3])])
    box = (int(left) + 1, int(image.height - top) + 1, int(right), int(image.height - bottom))
    return sum(image.crop(box).histogram()[:128])


def test_a_ticked_box_shows_in_the_filled_pdf_in_a_poppler_viewer(browser, served, toolkit, tmp_path):
    """A box ticked on the page is ticked in the filled-in PDF as Poppler (the PDF engine of
    most Linux viewers) draws it, not only in the field's value; and the box's clickable area
    covers the box drawn on paper, not a dot in its middle."""
    base, site = served
    rid = next(rid for prefix, rid in form_pages(toolkit) if not prefix and getattr(toolkit.resources[rid], "phases", None))
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(base + urls.resource_page(rid))
    box = page.locator("form.tk-form input[type=checkbox]").first
    name = box.get_attribute("name")
    box.check()
    with page.expect_download() as download:
        page.locator("[data-tk-action=download]").click()
    filled = tmp_path / "filled.pdf"
    download.value.save_as(filled)
    context.close()
    with pikepdf.open(filled) as pdf:
        assert not bool(pdf.Root.AcroForm.get("/NeedAppearances", False))
        [(number, rect)] = [(n, w.Rect) for n, p in enumerate(pdf.pages, start=1) for w in p.get("/Annots", [])
                            if str(w.get("/T", w.get("/Parent", {}).get("/T", ""))) == name]
    width, height = abs(float(rect[2]) - float(rect[0])), abs(float(rect[3]) - float(rect[1]))
    assert min(width, height) >= 6, f"the box's clickable area is {width:.1f} × {height:.1f} pt"
    ticked = _dark_pixels(filled, number, rect, tmp_path / "ticked")
    blank = _dark_pixels(site / urls.resource_pdf(rid), number, rect, tmp_path / "blank")
    assert ticked > blank + 4, (ticked, blank)


def sizes_of_blank(pdf_path: Path, name: str) -> float:
    """The type size in the ``/DA`` of field ``name`` of a published (blank) PDF."""
    with pikepdf.open(pdf_path) as pdf:
        field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == name)
        return float(re.search(r"([\d.]+)\s+Tf", str(field.DA)).group(1))


def _download(page, flatten: bool, path: Path) -> tuple[Path, str]:
    """Press "Download my filled-in PDF" (with "Lock my answers" set to ``flatten``), save
    the PDF to ``path`` and return it with the status line said afterwards."""
    page.locator("[data-tk-option=flatten]").set_checked(flatten)
    with page.expect_download() as got:
        page.locator("[data-tk-action=download]").click()
    got.value.save_as(path)
    page.wait_for_function("() => !document.querySelector('[data-tk-action=download]').disabled")
    return path, page.locator(".tk-answers-status").text_content()


def _cut_words(words: dict) -> str:
    """The status words said when answers are cut short, before the list of their labels."""
    return words["cut"].split("{answers}")[0]


def test_a_long_answer_prints_whole_in_smaller_type_and_what_cannot_print_is_said(browser, served, toolkit, tmp_path):
    """The page's answer box takes any length; its box on paper does not. A longer answer is
    printed in smaller type so none of it is cut off; one too long even then, and letters the
    PDF's typeface does not have, are said on the page when the PDF is made."""
    import subprocess

    base, _ = served
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    target = open_form_with(page, base, toolkit, "form.tk-form textarea", english_only=True)
    assert target, "the content has no form with a multi-line answer"
    words = json.loads(page.locator(".tk-answers").get_attribute("data-tk-words"))
    words["cut"] = _cut_words(words)
    box = page.locator("form.tk-form textarea").first
    long_answer = " ".join(f"word{i}" for i in range(15)) + " lastword"   # longer than the box at its size, fits smaller

    def download(flatten: bool) -> tuple[Path, str]:
        return _download(page, flatten, tmp_path / f"{target}-{len(list(tmp_path.iterdir()))}.pdf")

    box.fill(long_answer)
    filled, said = download(flatten=False)
    assert words["cut"] not in said and words["replaced"] not in said

    def size(pdf_path: Path) -> float:
        with pikepdf.open(pdf_path) as pdf:
            field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == box.get_attribute("name"))
            return float(re.search(r"([\d.]+) Tf", str(field.DA)).group(1))

    assert size(filled) < size(served[1] / urls.resource_pdf(target)), "the long answer kept its full size"
    flat, said = download(flatten=True)
    text = " ".join(subprocess.run(["pdftotext", str(flat), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "word0 word1" in text and "lastword" in text
    assert words["cut"] not in said
    box.fill(" ".join(["far too long an answer"] * 400) + " 学")   # a letter no typeface here has
    _, said = download(flatten=False)
    assert words["cut"] in said and words["replaced"] in said
    assert " ".join(page.locator(f"label[for='{box.get_attribute('id')}']").text_content().split()) in said, said
    context.close()


def _render(pdf_path: Path, out: Path, name: str, dpi: int = 300):
    """The page of a PDF with field ``name`` as Poppler draws it, in grey levels, with the
    PDF-points-to-pixels scale."""
    import subprocess

    from PIL import Image

    with pikepdf.open(pdf_path) as pdf:
        number = next(n for n, p in enumerate(pdf.pages, start=1) for w in p.get("/Annots", [])
                      if str(w.get("/T", w.get("/Parent", {}).get("/T", ""))) == name)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", "-f", str(number), "-l", str(number), str(pdf_path), str(out)], check=True)
    return Image.open(str(out) + ".png").convert("L"), dpi / 72


def _rules(image, scale, rect) -> list[tuple[float, float]]:
    """The writing rules drawn across box ``rect`` (PDF points) of a blank page, found in its
    pixels: ``(bottom, top)`` of each, in PDF points, top rule first."""
    left, right = sorted([float(rect[0]), float(rect[2])])
    bottom, top = sorted([float(rect[1]), float(rect[3])])
    xs = [int(left * scale + (right - left) * scale * k / 20) for k in range(2, 19)]
    grey = {py: sum(image.getpixel((x, py)) for x in xs) / len(xs)
            for py in range(int(image.height - (top + 1) * scale), int(image.height - (bottom - 1) * scale) + 1)}
    rules, run = [], []
    for py in sorted(py for py, v in grey.items() if v < 250):
        if run and py != run[-1] + 1:
            rules.append(run)
            run = []
        run.append(py)
    if run:
        rules.append(run)
    found = []
    for r in rules:
        # a rule's edge rows are partly covered: its edges to a fraction of a pixel
        full = min(grey[py] for py in r)
        cover = {py: (255 - grey[py]) / (255 - full) for py in r}
        upper, lower = r[0] + 1 - cover[r[0]], r[-1] + cover[r[-1]]
        found.append(((image.height - lower) / scale, (image.height - upper) / scale))
    return found


def _rule_pixels_darkened(image, blank, scale, rect) -> int:
    """Pixels of the rules in box ``rect`` that something dark (letters) is drawn over."""
    left, right = sorted([float(rect[0]), float(rect[2])])
    bottom, top = sorted([float(rect[1]), float(rect[3])])
    dark = 0
    for py in range(int(image.height - top * scale), int(image.height - bottom * scale)):
        for px in range(int(left * scale) + 2, int(right * scale) - 2):
            if blank.getpixel((px, py)) < 200 and image.getpixel((px, py)) < 90:
                dark += 1
    return dark


def _drawn_lines(pdf_path: Path, name: str):
    """The lines of field ``name``'s appearance: its widget's rectangle, the type size, the
    font's file (None for the wider typeface) and ``(baseline in PDF points, text)`` of each
    line drawn."""
    with pikepdf.open(pdf_path) as pdf:
        field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == name)
        widget = field if "/Rect" in field else field.Kids[0]
        rect = [float(v) for v in widget.Rect]
        bottom = min(rect[1], rect[3])
        stream = widget.AP.N
        size, font, lines, y = None, None, [], None
        for operands, operator in pikepdf.parse_content_stream(stream):
            if str(operator) == "Tf":
                font, size = stream.Resources.Font[operands[0]], float(operands[1])
            elif str(operator) == "Tm":
                y = bottom + float(operands[5])
            elif str(operator) == "Td":
                y = (y or bottom) + float(operands[1])
            elif str(operator) == "Tj":
                raw = bytes(operands[0])
                lines.append((y, raw.decode("cp1252", "replace") if "/Widths" in font and "/DescendantFonts" not in font else raw))
        # the form font's own file; the wider typeface is embedded as a subset without its
        # character map (read from the site's file instead)
        simple = "/DescendantFonts" not in font
        return rect, size, font.FontDescriptor.FontFile2.read_bytes() if simple else None, lines


def _ink(font_file: bytes, text: str) -> tuple[float, float]:
    """How far the letters of ``text`` reach above and below the baseline at 1 pt in the
    TrueType font ``font_file``, from their outlines."""
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_file))
    cmap, glyf = font.getBestCmap(), font["glyf"]
    boxes = [glyf[cmap[ord(c)]] for c in set(text) if ord(c) in cmap and hasattr(glyf[cmap[ord(c)]], "yMax")]
    em = font["head"].unitsPerEm
    return max(b.yMax for b in boxes) / em, -min(b.yMin for b in boxes) / em


def _text_width(pdf_path: Path, text: str) -> float:
    """Width of ``text`` at 1 pt in the form font of a published PDF (its /Widths)."""
    with pikepdf.open(pdf_path) as pdf:
        font = pdf.Root.AcroForm.DR.Font["/" + re.search(r"/(\S+)\s+[\d.]+\s+Tf", str(pdf.Root.AcroForm.DA)).group(1)]
        first, widths = int(font.FirstChar), [float(w) for w in font.Widths]
    return sum(widths[b - first] for b in text.encode("cp1252")) / 1000


def test_a_multi_line_answer_rests_on_the_writing_rules_of_its_box(browser, served, toolkit, tmp_path):
    """On paper a multi-line answer box is ruled (a rule under each of its rows). In the
    filled-in PDF each line of an answer sits just above a rule: its descenders clear of the
    rule, its letters clear of the rule above; an answer with more lines than the box has
    rules is set smaller with its lines sharing each rule's slot evenly, every so many just
    above a rule; none is drawn through a rule, in the form font or the wider one."""
    base, site = served
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    target = open_form_with(page, base, toolkit, "form.tk-form .tk-field textarea", english_only=True)
    assert target, "the content has no form with a multi-line answer"
    box = page.locator("form.tk-form .tk-field textarea").first
    name, rows = box.get_attribute("name"), int(box.get_attribute("rows"))
    blank_image, scale = _render(site / urls.resource_pdf(target), tmp_path / "blank", name)
    with pikepdf.open(site / urls.resource_pdf(target)) as pdf:
        field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == name)
        rect = [float(v) for v in (field if "/Rect" in field else field.Kids[0]).Rect]
    rules = _rules(blank_image, scale, rect)
    assert len(rules) == rows, (rules, rows)
    top = max(rect[1], rect[3])

    def check(answer: str, how: str, more_lines: bool = False) -> None:
        box.fill(answer)
        filled, said = _download(page, False, tmp_path / f"{how}.pdf")
        _, size, font_file, lines = _drawn_lines(filled, name)
        above, below = _ink(font_file or (site / "assets" / "toolkit" / "answer-font.ttf").read_bytes(), answer)
        assert lines and size >= 6, (how, size, lines)
        baselines = [y for y, _ in lines]
        for y in baselines:
            # the rule under the line, the rule (or the box's top) above it
            under = max((r for r in rules if r[1] <= y), key=lambda r: r[1])
            over = min((r[0] for r in rules if r[0] > y), default=top)
            assert y - below * size >= under[1] - 0.01, f"{how}: the letters at {y:.2f} reach into the rule at {under}"
            assert y + above * size <= over + 0.01, f"{how}: the letters at {y:.2f} reach the rule above at {over:.2f}"
        resting = [y for y in baselines if y - below * size - max(r[1] for r in rules if r[1] <= y) <= 1.0]
        if more_lines:
            assert len(lines) > rows, (how, lines)
            per = len(resting) and round(len(lines) / len(resting))
            pitches = {round(a - b, 2) for a, b in zip(baselines, baselines[1:])}
            assert max(pitches) - min(pitches) <= 0.02, f"{how}: lines unevenly spaced {pitches}"
            assert baselines[per - 1::per] == resting, f"{how}: not every {per}th line rests on a rule: {baselines}"
        else:
            assert resting == baselines, f"{how}: lines {baselines} do not rest on the rules {rules}"
        image, _ = _render(filled, tmp_path / how, name)
        assert _rule_pixels_darkened(image, blank_image, scale, rect) == 0, f"{how}: letters drawn over a rule"

    check("Nursing, because I like helping people.", "short")
    check("Nursing, because I like helping people. " * 3, "two-lines")
    # about 1.4 times as long as the box's rules hold in the smallest type (6 pt)
    width = (abs(rect[2] - rect[0]) - 2) * rows * 1.4
    words, i = [], 0
    while _text_width(site / urls.resource_pdf(target), " ".join(words)) * 6 < width:
        words.append(f"word{i} gypsy")
        i += 1
    check(" ".join(words), "subdivided", more_lines=True)
    check("Nguyễn Thị Ánh wants nursing, and Łódź gets a gypsy quay.", "wide")
    context.close()



def test_a_sentence_in_a_table_cell_wraps_onto_the_lines_the_cell_has_room_for(browser, served, toolkit, tmp_path):
    """A one-line box in a table row too narrow for an answer even in the smallest type, but
    tall enough for 2 lines of it, prints the answer on 2 lines, whole words, no letter outside
    the box; an answer too long even then keeps whole lines, and the page names the cut answer
    by its label, in the page's language."""
    import subprocess

    base, site = served
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    target = open_form_with(page, base, toolkit, "form.tk-form table.tk-grid input.tk-cell[type=text]", english_only=True)
    assert target, "the content has no table to fill in"
    blank = site / urls.resource_pdf(target)
    names = page.locator("form.tk-form table.tk-grid input.tk-cell[type=text]").evaluate_all("els => els.map(e => e.name)")
    with pikepdf.open(blank) as pdf:
        rects = {str(f.T): [float(v) for v in (f if "/Rect" in f else f.Kids[0]).Rect] for f in pdf.Root.AcroForm.Fields}
    name = max(names, key=lambda n: abs(rects[n][2] - rects[n][0]))   # the widest column
    rect = rects[name]
    width = abs(rect[2] - rect[0]) - 2
    bottom, top = sorted([rect[1], rect[3]])
    cell = page.locator(f"form.tk-form [name='{name}']")
    words = json.loads(page.locator(".tk-answers").get_attribute("data-tk-words"))
    vocabulary = "Shadowed the nurse on the pediatric floor and learned to take vital signs and chart them".split()

    def sentence(times: float) -> str:
        out = []
        while _text_width(blank, " ".join(out)) * 6 < width * times:
            out.append(vocabulary[len(out) % len(vocabulary)])
        return " ".join(out)

    answer = sentence(1.3)   # does not fit one line at 6 pt; fits 2
    cell.fill(answer)
    filled, said = _download(page, False, tmp_path / "wrapped.pdf")
    assert _cut_words(words) not in said, said
    _, size, font_file, lines = _drawn_lines(filled, name)
    above, below = _ink(font_file, answer)
    assert len(lines) >= 2 and size >= 6, (size, lines)
    assert " ".join(text for _, text in lines) == answer, lines
    for y, text in lines:
        assert _text_width(blank, text) * size <= width + 0.01, f"{text!r} runs past the box"
        assert y - below * size >= bottom - 0.01 and y + above * size <= top + 0.01, f"{text!r} at {y:.2f} leaves the box {bottom:.2f}–{top:.2f}"
    flat, _ = _download(page, True, tmp_path / "wrapped-flat.pdf")
    text = " ".join(subprocess.run(["pdftotext", str(flat), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert all(line in text for _, line in lines), text
    _render(filled, tmp_path / "wrapped", name)

    cell.fill(sentence(4))
    filled, said = _download(page, False, tmp_path / "cut.pdf")
    label = " ".join(cell.get_attribute("aria-label").split())
    assert _cut_words(words) in said and label in said, said
    _, size, _, lines = _drawn_lines(filled, name)
    assert len(lines) >= 2 and size == 6 and sentence(4).startswith(" ".join(t for _, t in lines) + " "), lines

    # one word longer than the box even in the smallest type (a pasted link): said cut
    cell.fill("https://example.org/" + "internship" * 12)
    _, said = _download(page, False, tmp_path / "link.pdf")
    assert _cut_words(words) in said and label in said, said

    # in Spanish, the same
    page.goto(base + "es/" + urls.resource_page(target))
    words = json.loads(page.locator(".tk-answers").get_attribute("data-tk-words"))
    cell = page.locator(f"form.tk-form [name='{name}']")
    cell.fill(sentence(4))
    _, said = _download(page, False, tmp_path / "cut-es.pdf")
    assert _cut_words(words) in said and " ".join(cell.get_attribute("aria-label").split()) in said, said
    context.close()


#: A name with letters outside the form font's WinAnsi (Vietnamese, Polish, Greek, Cyrillic),
#: one accent typed as a separate combining mark ("é" as "e" + U+0301).
WIDE = "Nguyễn Thị Ánh · Łódź · Ελένη · Иван · Jose\u0301"


def test_an_answer_with_letters_beyond_the_form_font_prints_in_the_filled_pdf(browser, served, toolkit, tmp_path):
    """Letters the PDF's own form font lacks are printed in the wider typeface, not as "?":
    in the field's value and appearance, flattened or not; the page does not say any were
    replaced; the field's /DA names a font the form's /DR has (a viewer editing the answer
    again uses it). The answer with a combining accent is printed composed. A short answer in
    a one-line box is as large as the box's height allows, its accents and descenders inside."""
    import subprocess
    import unicodedata

    base, _ = served
    expected = unicodedata.normalize("NFC", WIDE)
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    target = next((rid for prefix, rid in form_pages(toolkit) if not prefix and any(
        getattr(part, "fields", None) for part in getattr(toolkit.resources[rid], "parts", []))), None)
    assert target, "the content has no form with a text answer"
    page.goto(base + urls.resource_page(target))
    words = json.loads(page.locator(".tk-answers").get_attribute("data-tk-words"))
    box = page.locator("form.tk-form input[type=text], form.tk-form textarea").first
    name = box.get_attribute("name")
    box.fill(WIDE)

    filled, said = _download(page, False, tmp_path / "filled.pdf")
    assert words["replaced"] not in said and words["failed"] not in said, said
    with pikepdf.open(filled) as pdf:
        field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == name)
        assert str(field.V) == expected
        font = re.search(r"/(\S+)\s+[\d.]+\s+Tf", str(field.DA)).group(1)
        assert pikepdf.Name("/" + font) in pdf.Root.AcroForm.DR.Font, (str(field.DA), list(pdf.Root.AcroForm.DR.Font.keys()))
    flat, said = _download(page, True, tmp_path / "flat.pdf")
    text = " ".join(subprocess.run(["pdftotext", str(flat), "-"], capture_output=True, text=True, check=True).stdout.split())
    for word in expected.split(" · "):
        assert word in text, f"{word!r} is not printed in the flattened PDF"
    # a short answer in a one-line box: as large as the box's height allows (not the
    # smallest type), with its whole height (accents, descenders) inside the box
    short = page.locator("form.tk-form input[type=text]").first
    short_name = short.get_attribute("name")
    short.fill("Peggy Ángel")
    filled, _ = _download(page, False, tmp_path / "short.pdf")
    with pikepdf.open(filled) as pdf:
        field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == short_name)
        widget = field if "/Rect" in field else field.Kids[0]
        size = float(re.search(r"([\d.]+)\s+Tf", str(field.DA)).group(1))
        face = pdf.Root.AcroForm.DR.Font["/" + re.search(r"/(\S+)\s+[\d.]+\s+Tf", str(field.DA)).group(1)].FontDescriptor
        ascent, descent = float(face.Ascent) / 1000, -float(face.Descent) / 1000
        rect = [float(v) for v in widget.Rect]
        inner = abs(rect[3] - rect[1]) - 2   # less the 1 pt padding each side (no border)
        baseline = float(re.search(rb"([\d.]+) Tm", widget.AP.N.read_bytes()).group(1))
    assert size == min(daSize := sizes_of_blank(served[1] / urls.resource_pdf(target), short_name),
                       int(2 * inner / (ascent + descent)) / 2), (size, daSize, inner)
    assert baseline - descent * size >= 1 - 0.01 and baseline + ascent * size <= 1 + inner + 0.01, (baseline, size, inner)
    context.close()


def test_the_wider_answer_font_is_served_but_not_precached_for_offline_use(served):
    """The answer font and fontkit (about 0.6 MB) are in every language's site but in no
    service worker's precache list: only a filled-in PDF with letters beyond the form font
    needs them, online."""
    from macros import browser_assets

    _, site = served
    for lang in i18n.LANGUAGES:
        root = site if lang == "en" else site / lang
        worker = (root / offline.SW_NAME).read_text(encoding="utf-8")
        assert "pdf-lib.min.js" in worker   # the list is there
        for name in browser_assets.ON_DEMAND:
            assert (root / "assets" / "toolkit" / name).is_file()
            assert name not in worker, f"{lang}: {name} is precached"


def test_a_letter_no_typeface_has_or_a_typeface_not_loaded_gives_a_pdf_that_says_so(browser, served, toolkit, tmp_path):
    """The filled-in PDF is always made: when the wider typeface cannot be loaded (blocked,
    or a cut-off download), the letters it would print are "?" and the page says why; a
    letter no typeface here has is one "?" however many code points it takes (an emoji with
    its skin tone), a tab is a space, a ligature prints as its letters, an invisible mark
    is dropped."""
    base, _ = served
    target = next((rid for prefix, rid in form_pages(toolkit) if not prefix and any(
        getattr(part, "fields", None) for part in getattr(toolkit.resources[rid], "parts", []))), None)
    assert target, "the content has no form with a text answer"
    font_bytes = (served[1] / "assets" / "toolkit" / "answer-font.ttf").read_bytes()
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.goto(base + urls.resource_page(target))
    words = json.loads(page.locator(".tk-answers").get_attribute("data-tk-words"))
    box = page.locator("form.tk-form input[type=text], form.tk-form textarea").first
    name = box.get_attribute("name")

    def value(pdf_path: Path) -> str:
        with pikepdf.open(pdf_path) as pdf:
            return str(next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == name).V)

    box.fill("Nguyễn")
    for how, handler in (("blocked", lambda route: route.abort()),
                         ("cut off", lambda route: route.fulfill(status=200, body=font_bytes[: len(font_bytes) // 2]))):
        page.route("**/answer-font.ttf", handler)
        filled, said = _download(page, False, tmp_path / f"{how}.pdf")
        page.unroute("**/answer-font.ttf")
        assert value(filled) == "Nguy?n", how
        assert words["font_missing"] in said and words["failed"] not in said, (how, said)
    box.fill("Ana\tMaría \ufb01n\u200b")   # all in the form font, once plain
    filled, said = _download(page, False, tmp_path / "plain.pdf")
    assert value(filled) == "Ana María fin"
    assert words["replaced"] not in said and words["font_missing"] not in said, said
    box.fill("Ana 👍🏽 学")
    filled, said = _download(page, False, tmp_path / "none.pdf")
    assert value(filled) == "Ana ? ?"
    assert words["replaced"] in said and words["font_missing"] not in said, said
    context.close()


def test_print_my_answers_prints_every_line_of_a_long_answer(browser, served, toolkit):
    """Printed from the page, an answer longer than its box shows every line: the box grows to
    its text instead of showing the part scrolled into view."""
    base, _ = served
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    open_form_with(page, base, toolkit, "form.tk-form .tk-field textarea")
    box = page.locator("form.tk-form .tk-field textarea").first
    lines = int(box.evaluate("e => e.rows || 3")) + 4
    box.fill("\n".join(f"line {i} of my answer" for i in range(lines)))
    page.emulate_media(media="print")
    shown, needed = box.evaluate("e => [e.clientHeight, e.scrollHeight]")
    assert shown >= needed, f"printed, the box shows {shown}px of its {needed}px answer"
    context.close()


def test_print_my_answers_prints_a_long_one_line_answer_whole(browser, served, toolkit, tmp_path):
    """Printed from the page, a one-line answer wider than its box prints whole, wrapped (a
    text box prints only the part of its line in view: the rest was cut off on paper); no
    answer box reaches past the sheet's text area; the page is as it was after printing."""
    import pypdf

    base, _ = served
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    open_form_with(page, base, toolkit, "form.tk-form .tk-field input[type=text]")
    box = page.locator("form.tk-form .tk-field input[type=text]").first
    words = [f"w{i}x" for i in range(60)]
    box.fill(" ".join(words))
    assert box.evaluate("e => e.scrollWidth > e.clientWidth"), "the answer fits its box: nothing to test"
    page.pdf(path=str(tmp_path / "printed.pdf"))
    printed = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(tmp_path / "printed.pdf").pages).split()
    assert [w for w in words if w not in printed] == []
    assert page.locator(".tk-print-whole").count() == 0 and box.is_visible() and box.input_value() == " ".join(words)
    page.emulate_media(media="print")
    over = page.evaluate("""() => { const edge = document.querySelector('article').getBoundingClientRect().right;
        return [...document.querySelectorAll('form.tk-form textarea, form.tk-form input[type=text]')]
          .filter(e => e.getBoundingClientRect().right > edge + 0.5).map(e => e.id); }""")
    assert over == [], f"printed, these boxes reach past the text area: {over}"
    context.close()


def test_print_my_answers_keeps_each_repeated_block_on_one_sheet(browser, served, toolkit, tmp_path):
    """Printed from the page, a repeated block (one per presenter, station …) is not split
    across two sheets: its title and its last field are on the same page."""
    import pypdf

    base, _ = served
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    if not open_form_with(page, base, toolkit, "form.tk-form .tk-repeat", at_least=2):
        pytest.skip("the content has no form with repeated blocks")
    blocks = page.locator("form.tk-form .tk-repeat").evaluate_all(
        "bs => bs.map(b => [b.querySelector('.tk-repeat-title').textContent.replace('¶', '').trim(), [...b.querySelectorAll('label, legend')].pop().textContent.trim()])")
    page.emulate_media(media="print")
    page.pdf(path=str(tmp_path / "printed.pdf"))
    context.close()
    texts = [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(tmp_path / "printed.pdf").pages]
    if len(texts) == 1:
        pytest.skip("the printed page fits one sheet: nothing to split")
    for title, last in blocks:
        where = [i for i, t in enumerate(texts) if title in t]
        assert where and " ".join(last.split()) in texts[where[0]], f"'{title}' is split across sheets"

def fill_everything(page) -> dict:
    """Fill every field of the page's form by its type; returns what was entered:
    ``{name: text | option index (radio) | True (checkbox)}``."""
    entered: dict = {}
    form = page.locator("form.tk-form")
    for el in form.locator("input[type=text], textarea").all():
        name = el.get_attribute("name")
        value = DATE if "tk-date" in (el.get_attribute("class") or "") else TYPED.format(name=name)
        el.fill(value)
        entered[name] = value
    groups: dict[str, int] = {}
    for name in form.locator("input[type=radio]").evaluate_all("els => els.map(e => e.name)"):
        groups[name] = groups.get(name, 0) + 1
    for k, (name, count) in enumerate(groups.items()):
        index = k % count  # a different option from group to group, the first one included
        form.locator(f"input[type=radio][name='{name}']").nth(index).check()
        entered[name] = index
    for el in form.locator("input[type=checkbox]").all():
        el.check()
        entered[el.get_attribute("name")] = True
    return entered


def read_page(page) -> dict:
    """What the page's form shows now, in the shape of :func:`fill_everything`."""
    return page.evaluate("""() => {
        const out = {}; const seen = {};
        for (const el of document.querySelector('form.tk-form').elements) {
            if (!el.name) continue;
            if (el.type === 'radio') { seen[el.name] = (seen[el.name] ?? -1) + 1; if (el.checked) out[el.name] = seen[el.name]; }
            else if (el.type === 'checkbox') { if (el.checked) out[el.name] = true; }
            else if (el.value !== '') out[el.name] = el.value;
        }
        return out; }""")


def read_pdf(path: Path) -> dict:
    """The filled-in values of a PDF's fields, in the shape of :func:`fill_everything` (a
    radio group's value is the index of its chosen button), and checks that every filled
    text field has an appearance in the PDF's own form font (so the value prints)."""
    values: dict = {}
    with pikepdf.open(path) as pdf:
        acro = pdf.Root.AcroForm
        form_font = acro.DR.Font[re.match(r"(/\S+)", str(acro.DA)).group(1)] if "/DA" in acro else None
        for field in acro.Fields:
            name, value = str(field.T), field.get("/V")
            if field.get("/FT") == "/Tx":
                if value is not None and str(value):
                    values[name] = str(value)
                    for widget in [field, *field.get("/Kids", [])]:
                        if "/Rect" in widget:
                            fonts = widget.AP.N.Resources.Font
                            assert any(f.objgen == form_font.objgen for f in fonts.values()), name
            elif "/Kids" in field and value not in (None, pikepdf.Name.Off):
                states = [str(k.get("/AS")) for k in field.Kids]
                assert states.count(str(value)) == 1, (name, value, states)
                values[name] = states.index(str(value))
            elif "/Kids" not in field and value not in (None, pikepdf.Name.Off):
                assert field.get("/AS") == value, name
                values[name] = True
    return values


def test_every_form_page_keeps_answers_and_fills_its_pdf(browser, served, toolkit, tmp_path):
    base, site = served
    pages = form_pages(toolkit)
    assert pages, "the content has no form pages"
    kinds: set[str] = set()
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    for prefix, rid in pages:
        page.goto(base + prefix + urls.resource_page(rid))
        assert page.locator(".tk-answers").is_visible() and page.locator(".tk-answers-note").is_visible()
        entered = fill_everything(page)
        kinds |= set(page.locator("form.tk-form").evaluate(
            "f => [...f.elements].filter(e => e.name).map(e => e.type === 'text' && e.classList.contains('tk-date') ? 'date' : e.type)"))
        page.reload()
        assert read_page(page) == entered, f"{prefix}{rid}: answers not restored after a reload"
        assert page.locator(".tk-answers-status").text_content().strip(), "restoring should be announced"
        key = page.evaluate("() => Object.keys(localStorage).filter(k => k.includes(%s))" % json.dumps(f":{prefix.strip('/') or 'en'}:{rid}"))
        assert len(key) == 1, key
        with page.expect_download() as download:
            page.locator("[data-tk-action=download]").click()
        saved = tmp_path / f"{prefix.strip('/') or 'en'}-{rid}.pdf"
        download.value.save_as(saved)
        assert download.value.suggested_filename == f"{rid}-filled.pdf"
        assert read_pdf(saved) == entered, f"{prefix}{rid}: the filled-in PDF differs from the page"
        with pikepdf.open(saved) as filled, pikepdf.open(site / prefix / urls.resource_pdf(rid)) as blank:
            assert "/StructTreeRoot" in filled.Root and filled.Root.Lang == blank.Root.Lang
            assert str(filled.docinfo.Title) == str(blank.docinfo.Title)
            assert filled.open_metadata().get("dc:title") == blank.open_metadata().get("dc:title")
            assert {str(f.T): str(f.get("/TU")) for f in filled.Root.AcroForm.Fields} == {
                str(f.T): str(f.get("/TU")) for f in blank.Root.AcroForm.Fields}
        # the published PDF stays the blank one
        assert read_pdf(site / prefix / urls.resource_pdf(rid)) == {}
    context.close()
    # every kind of control the content asks for was filled and read back
    control = {"text": "text", "lines": "textarea", "date": "date", "choice": "radio", "yes-no": "radio", "checkboxes": "checkbox",
               "time": "text", "number": "text", "signature": "text"}  # the last three are text boxes
    expected = {control[f.type] for r in toolkit.resources.values() for part in getattr(r, "parts", []) for f in part.fields}
    expected |= {"radio"} if any(part.rating for r in toolkit.resources.values() for part in getattr(r, "parts", [])) else set()
    expected |= {"checkbox"} if any(getattr(r, "phases", None) for r in toolkit.resources.values()) else set()
    assert kinds == expected, (kinds, expected)


def test_erase_empties_the_form_and_the_storage(browser, served, toolkit):
    base, _ = served
    prefix, rid = form_pages(toolkit)[-1]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(base + prefix + urls.resource_page(rid))
    assert fill_everything(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-tk-action=erase]").click()
    assert read_page(page) == {}
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('wbl-toolkit.answers'))") == []
    assert page.locator(".tk-answers-status").text_content().strip()
    page.reload()
    assert read_page(page) == {}
    context.close()


@pytest.mark.parametrize("refusal", ["full", "refused"])
def test_answers_the_device_cannot_keep_are_said_so_with_why(browser, served, toolkit, refusal):
    """When the browser refuses to keep answers, the page says so and asks for the PDF: a
    full storage is named as such (not blamed on private mode), any other refusal as the
    browser not keeping answers."""
    base, _ = served
    prefix, rid = form_pages(toolkit)[-1]
    context = browser.new_context(viewport=DESKTOP)
    error = "new DOMException('full', 'QuotaExceededError')" if refusal == "full" else "new DOMException('no', 'SecurityError')"
    context.add_init_script("Storage.prototype.setItem = function () { throw %s; };" % error)
    page = context.new_page()
    page.goto(base + prefix + urls.resource_page(rid))
    words = json.loads(page.locator(".tk-answers").get_attribute("data-tk-words"))
    page.locator("form.tk-form input[type=text], form.tk-form textarea").first.fill("an answer")
    expected = words["storage_full"] if refusal == "full" else words["no_storage"]
    assert words["storage_full"] != words["no_storage"]
    assert page.locator(".tk-answers-status").text_content().strip() == expected
    context.close()


def test_saved_answers_to_fields_no_longer_on_the_page_are_kept(browser, served, toolkit):
    """An answer saved for a field the page no longer has (a question removed, or its id
    changed, since the student wrote it) stays in the device's storage when the student goes
    on typing: nothing they wrote is dropped."""
    base, _ = served
    prefix, rid = form_pages(toolkit)[0]
    key = f"wbl-toolkit.answers.v1:en:{rid}"
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(base + prefix + urls.resource_page(rid))
    gone = {"a-question-since-removed": "What I wrote before the page changed"}
    page.evaluate("([key, answers]) => localStorage.setItem(key, JSON.stringify({saved: '2026-01-05T10:00:00Z', answers}))",
                  [key, gone])
    page.reload()
    entered = fill_everything(page)
    page.wait_for_function("key => JSON.parse(localStorage.getItem(key)).answers['a-question-since-removed']", arg=key)
    stored = page.evaluate("key => JSON.parse(localStorage.getItem(key)).answers", key)
    assert {k: stored[k] for k in gone} == gone
    assert set(entered) <= set(stored)
    page.reload()
    assert set(read_page(page)) == set(entered)
    context.close()


def test_checklist_ticks_are_remembered(browser, served, toolkit):
    base, _ = served
    checklists = [rid for rid, r in toolkit.resources.items() if getattr(r, "phases", None)]
    if not checklists:
        pytest.skip("the content has no checklist")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(base + urls.resource_page(checklists[0]))
    boxes = page.locator("form.tk-form input[type=checkbox]")
    boxes.first.check()
    boxes.last.check()
    page.goto(base)
    page.goto(base + urls.resource_page(checklists[0]))
    assert boxes.first.is_checked() and boxes.last.is_checked()
    assert boxes.count() <= 2 or not boxes.nth(1).is_checked()
    context.close()


def test_without_javascript_the_page_is_the_blank_form_and_the_pdf_link(browser, served, toolkit):
    base, _ = served
    _, rid = form_pages(toolkit)[0]
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(base + urls.resource_page(rid))
    assert page.locator("form.tk-form").is_visible()
    assert page.locator(f"a[href$='{rid}.pdf']").first.is_visible()
    assert not page.locator(".tk-answers").is_visible()
    assert not page.locator(".tk-answers-note").is_visible()
    context.close()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_axe_finds_no_violations_on_a_form_page_with_the_new_controls(browser, served, toolkit, lang):
    _need(AXE.exists(), "the npm package axe-core")
    base, _ = served
    prefix = "" if lang == "en" else f"{lang}/"
    ids = [r for p, r in form_pages(toolkit) if p == prefix]
    # the page with the most kinds of control: a rating grid if there is one
    rid = max(ids, key=lambda r: any(part.rating for part in getattr(toolkit.resources[r], "parts", [])))
    found = {}
    for name, viewport in {"desktop": DESKTOP, "phone": PHONE}.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(base + prefix + urls.resource_page(rid))
        fill_everything(page)
        page.reload()  # the restored answers and their announcement are on screen
        assert page.locator(".tk-answers").is_visible()
        violations = _axe(page)
        if violations:
            found[name] = violations
        context.close()
    assert not found, json.dumps(found, indent=1)[:6000]


def test_the_site_makes_no_third_party_requests(browser, served, toolkit):
    base, site = served
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "blob:", "data:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    # routing does not see a service worker's own requests: block workers here and check the
    # workers' lists below (all relative to the site)
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, service_workers="block")
    context.route("**/*", guard)
    page = context.new_page()
    _, rid = form_pages(toolkit)[0]
    page.goto(base)
    page.goto(base + urls.resource_page(rid))
    fill_everything(page)
    with page.expect_download():
        page.locator("[data-tk-action=download]").click()
    context.close()
    assert not outside, outside
    for lang in i18n.LANGUAGES:
        worker = (site / ("" if lang == "en" else lang) / offline.SW_NAME).read_text(encoding="utf-8")
        entries = re.findall(r'"?url"?:"([^"]+)"', worker)
        assert entries and not [u for u in entries if "//" in u or u.startswith("/")], entries[:5]


def _wait_until_offline_ready(page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30000)
    page.locator(".tk-offline").wait_for(state="attached")


def test_after_one_visit_the_toolkit_opens_and_searches_offline(browser, served, toolkit):
    base, _ = served
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    _, rid = form_pages(toolkit)[0]
    page.goto(base)
    _wait_until_offline_ready(page)
    page.locator(".tk-offline").filter(has_text=re.compile(r"\S")).wait_for(timeout=30000)
    context.set_offline(True)
    # really offline: a file that is in no worker's list cannot be fetched
    assert page.evaluate("u => fetch(u).then(() => 'fetched', () => 'failed')", base + "not-precached.txt") == "failed"
    page.goto(base + urls.resource_page(rid))
    title = page.locator("h1").first.text_content().strip()
    assert title
    head = page.evaluate("u => fetch(u).then(r => r.arrayBuffer()).then(b => String.fromCharCode(...new Uint8Array(b.slice(0, 5))))",
                         base + urls.resource_pdf(rid))
    assert head == "%PDF-"
    word = max(re.findall(r"\w{5,}", title), key=len)
    page.goto(base)
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially(word, delay=20)  # Material reads key events
    result = page.locator(".md-search-result__link").first
    result.wait_for(timeout=15000)
    result.click()
    page.wait_for_load_state()
    assert word.lower() in page.content().lower()
    context.close()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_search_typed_without_accents_finds_the_words_written_with_them(browser, served, lang):
    """On a phone or an English keyboard people leave accents out: the longest title word
    with an accent in the language's search index, typed without it, finds that page."""
    from macros.adapters.search_fold import fold

    base, site = served
    root = site if lang == "en" else site / lang
    docs = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    found = [(word, doc["location"]) for doc in docs if "#" not in doc["location"]
             for word in re.findall(r"\w{5,}", doc["title"]) if fold(word) != word.lower()]
    if not found:
        pytest.skip(f"no page title in {lang} has a word with an accent")
    word, location = max(found, key=lambda f: len(f[0]))
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(base + ("" if lang == "en" else f"{lang}/"))
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially(fold(word), delay=20)  # Material reads key events
    page.locator(".md-search-result__link").first.wait_for(timeout=15000)
    paths = page.locator(".md-search-result__link").evaluate_all("els => els.map(e => new URL(e.href).pathname)")
    context.close()
    assert any(path.endswith("/" + location) for path in paths), (word, location, paths)


def test_each_language_has_its_own_worker_under_the_sub_path(browser, served):
    base, _ = served
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    for lang in i18n.LANGUAGES:
        root = base + ("" if lang == "en" else f"{lang}/")
        page.goto(root)
        scope = None
        for _ in range(150):  # until the language's worker is installed (at most ~30 s)
            scope = page.evaluate("""async () => {
                const r = await navigator.serviceWorker.getRegistration(location.href);
                return r && r.active ? r.scope : null; }""")
            if scope == root:
                break
            page.wait_for_timeout(200)
        assert scope == root
        page.reload()
        assert page.evaluate("() => navigator.serviceWorker.controller.scriptURL") == root + offline.SW_NAME
    context.close()


def test_opening_the_other_language_is_not_offered_as_an_update(browser, served):
    """A reader who used the English pages and then opens a Spanish one sees the Spanish
    toolkit stored for offline use, not a "new version" notice: the Spanish worker installs
    for the first time while the English worker (whose scope contains es/) controls the page."""
    base, _ = served
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(base)
    _wait_until_offline_ready(page)
    page.locator(".tk-offline").filter(has_text=re.compile(r"\S")).wait_for(timeout=30000)
    other = next(lang for lang in i18n.LANGUAGES if lang != "en")
    page.goto(base + f"{other}/")
    ready = i18n.UI[other]["offline_ready"]
    page.locator(".tk-offline").filter(has_text=ready).wait_for(timeout=30000)
    assert page.locator(".tk-offline button").count() == 0
    context.close()


def test_a_new_build_is_offered_as_an_update_and_taken_on_reload(browser, served, tmp_path):
    _, site = served
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    context = browser.new_context(viewport=PHONE)
    with serve(copy, PREFIX) as base:
        page = context.new_page()
        page.goto(base)
        _wait_until_offline_ready(page)
        old = page.locator("h1").first.text_content()
        # a "new build": one page changes, the workers are written again
        index = copy / "index.html"
        html, changed = re.subn(r"(<h1\b[^>]*>)", r"\1(new build) ", index.read_text(encoding="utf-8"), count=1)
        assert changed
        index.write_text(html, encoding="utf-8")
        offline.write_service_worker(copy)
        page.reload()
        assert page.locator("h1").first.text_content() == old, "the old build keeps serving until asked"
        reload = page.locator(".tk-offline button")
        reload.wait_for(timeout=30000)
        reload.click()
        page.wait_for_function("t => document.querySelector('h1').textContent.includes(t)", arg="(new build)", timeout=30000)
    context.close()


def test_write_service_worker_revisions_follow_the_files(tmp_path):
    site = tmp_path / "site"
    (site / "es" / "r").mkdir(parents=True)
    (site / "r").mkdir()
    for folder in (site, site / "es"):
        (folder / "index.html").write_text("<p>home</p>", encoding="utf-8")
        (folder / "r" / "r.pdf").write_bytes(b"%PDF-1 one")
    (site / "admin").mkdir()
    (site / "admin" / "index.html").write_text("<p>the web editor</p>", encoding="utf-8")   # not for readers offline
    counts = offline.write_service_worker(site)
    spanish = (site / "es" / offline.SW_NAME).read_text(encoding="utf-8")
    assert counts == {lang: 2 for lang in i18n.LANGUAGES}
    english = (site / offline.SW_NAME).read_text(encoding="utf-8")
    assert "es/" not in " ".join(re.findall(r'"?url"?:"([^"]+)"', english)), "each language has its own worker"
    (site / "r" / "r.pdf").write_bytes(b"%PDF-1 two")
    offline.write_service_worker(site)
    again = (site / offline.SW_NAME).read_text(encoding="utf-8")
    revision = lambda text: re.search(r'"?revision"?:"([^"]+)","?url"?:"r/r.pdf"|"?url"?:"r/r.pdf","?revision"?:"([^"]+)"', text).groups()
    assert revision(english) != revision(again)
    assert (site / "es" / offline.SW_NAME).read_text(encoding="utf-8") == spanish, "an unchanged language keeps its worker"
