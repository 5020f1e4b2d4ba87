"""Links inside translated texts are checked against the content exactly as the English ones
are (macros/reader/checks.py, ``link_problem``): a translated text whose internal link does
not resolve (an unknown resource or activity id, an anchor that is not on the target page, a
same-page anchor that is not on this page) is not published. The edition shows the English
text in its place, as for an untranslated entry, and a warning names the translation file,
the ``es:`` line and the link. It never fails check or build: a correct English edit (an item
renamed, its links fixed in English) never turns CI red because a translation still links to
the old name. On the small fixture project tests/fixtures/base, whose words belong to these
tests."""
from __future__ import annotations

import lxml.html
import pytest

from conftest import macros_command, make_project
from helpers import edit, line_of
from macros import i18n, translation_status, urls
from macros.loader import ContentError, load_toolkit

ACTIVITY_ID = "site-visits"
ACTIVITY = f"content/activities/{ACTIVITY_ID}.yml"
ACTIVITY_ES = f"content/translations/es/activities/{ACTIVITY_ID}.yml"
SHEET_ID = "site-visit-host-fact-sheet"
SHEET = f"content/resources/{SHEET_ID}.yml"

#: An English text of the fixture activity and its stand-in Spanish, each given a link to the
#: fact sheet's section ``why``.
INTRO = "Students see real work and ask the host questions."
LINKED = "Students see real work and ask the host [why it matters](resource:site-visit-host-fact-sheet#why)."
LINKED_ES = "ES Students see real work and ask the host [why it matters](resource:site-visit-host-fact-sheet#why)."


def linked_project(tmp_path):
    """The base fixture with a link in an activity's introduction, in English and Spanish."""
    project = make_project(tmp_path / "project")
    edit(project, ACTIVITY, f'"{INTRO}"', f'"{LINKED}"')
    edit(project, ACTIVITY_ES, f'en: "{INTRO}"', f'en: "{LINKED}"')
    edit(project, ACTIVITY_ES, f'es: "ES {INTRO}"', f'es: "{LINKED_ES}"')
    return project


def spanish_warnings(toolkit, rel: str) -> list:
    return [w for w in toolkit.warnings if w.file == rel]


def test_a_translated_link_that_resolves_is_published_as_written(tmp_path):
    project = linked_project(tmp_path)
    toolkit = load_toolkit(project)
    assert not spanish_warnings(toolkit, ACTIVITY_ES)
    intro = toolkit.edition("es").activities[ACTIVITY_ID].introduction[0]
    assert intro == LINKED_ES and not isinstance(intro, i18n.Fallback)


def test_broken_translated_links_show_the_english_with_a_warning_at_the_es_line(tmp_path):
    project = linked_project(tmp_path)
    cases = {   # the translator's link -> words the warning must name
        "resource:site-visit-host-fact-sheet#nowhere": "'#nowhere', which is not on the page of resource",
        "resource:no-such-thing": "names no existing resource",
        "activity:no-such-activity": "names no existing activity",
    }
    for bad in cases:
        edit(project, ACTIVITY_ES, f'es: "{LINKED_ES}"', f'es: "{LINKED_ES.replace("resource:site-visit-host-fact-sheet#why", bad)}"')
        line = line_of(project, ACTIVITY_ES, bad)
        toolkit = load_toolkit(project)     # no ContentError: check and build go on
        [warning] = spanish_warnings(toolkit, ACTIVITY_ES)
        assert (warning.line, warning.field) == (line, "texts.introduction.1.es"), warning
        assert warning.column > 1
        assert bad in warning.message and cases[bad] in warning.message, warning.message
        assert "shows the English text" in warning.message and "until the link" in warning.message
        edition = toolkit.edition("es")
        intro = edition.activities[ACTIVITY_ID].introduction[0]
        assert intro == LINKED and isinstance(intro, i18n.Fallback)
        assert "introduction.1" in edition.fallback[ACTIVITY_ID]
        # the translation status counts it as shown in English
        [row] = [r for r in translation_status.rows(toolkit) if r.id == ACTIVITY_ID]
        assert row.missing == 1
        # the translator's words are kept in the file
        assert bad in (project / ACTIVITY_ES).read_text(encoding="utf-8")
        edit(project, ACTIVITY_ES, bad, "resource:site-visit-host-fact-sheet#why")


def test_a_same_page_anchor_in_a_translation_must_be_on_the_page(tmp_path):
    project = linked_project(tmp_path)
    section = "sections.purpose.points.1"
    english = load_toolkit(project).activities[ACTIVITY_ID].sections[0].points[0]
    entry = f'  {section}:\n    en: "{english}"\n    es: "ES {english}"'
    assert entry in (project / ACTIVITY_ES).read_text(encoding="utf-8")
    edit(project, ACTIVITY_ES, f'es: "ES {english}"', f'es: "ES [{english}](#nowhere)"')
    toolkit = load_toolkit(project)
    [warning] = spanish_warnings(toolkit, ACTIVITY_ES)
    assert warning.field == f"texts.{section}.es" and "'#nowhere' points to no part of this page" in warning.message
    assert toolkit.edition("es").activities[ACTIVITY_ID].sections[0].points[0] == english
    # a same-page anchor that is on the page is published
    edit(project, ACTIVITY_ES, "(#nowhere)", "(#format)")
    toolkit = load_toolkit(project)
    assert not spanish_warnings(toolkit, ACTIVITY_ES)
    assert toolkit.edition("es").activities[ACTIVITY_ID].sections[0].points[0] == f"ES [{english}](#format)"


def test_renaming_a_linked_part_in_english_publishes_with_the_english_text_and_a_working_link(tmp_path):
    """The tester's case: an editor renames a part of a resource and fixes the English link
    to it; the Spanish still links to the old id. Check and build pass with a warning; the
    Spanish page shows the English text, whose link works, and never links to the old id."""
    project = linked_project(tmp_path)
    edit(project, SHEET, "  - id: why\n", "  - id: why-host\n")
    edit(project, ACTIVITY, f"{SHEET_ID}#why)", f"{SHEET_ID}#why-host)")
    proc = macros_command(project, "translations")
    assert proc.returncode == 0, proc.stderr
    check = macros_command(project, "check")
    assert check.returncode == 0, check.stderr
    line = line_of(project, ACTIVITY_ES, f'es: "{LINKED_ES}"')
    warning = [w for w in check.stderr.splitlines() if f"{ACTIVITY_ES}:{line}:" in w]
    assert warning and f"resource:{SHEET_ID}#why'" in warning[0] and "'#why-host'" in warning[0], check.stderr
    assert "the English links to 'resource:site-visit-host-fact-sheet#why-host'" in warning[0]
    # under GitHub Actions the same warning is a workflow warning on that line
    ci = macros_command(project, "check", env={"GITHUB_ACTIONS": "true"})
    assert any(w.startswith(f"::warning file={ACTIVITY_ES},line={line},") for w in ci.stdout.splitlines()), ci.stdout
    build = macros_command(project, "build", "--jobs", "2")
    assert build.returncode == 0, build.stderr
    assert f"{ACTIVITY_ES}:{line}:" in build.stderr
    page = lxml.html.parse(str(project / "site" / "es" / urls.activity_page(ACTIVITY_ID) / "index.html")).getroot()
    hrefs = [a.get("href") for a in page.cssselect("article a[href]")]
    assert not [h for h in hrefs if h.endswith(f"{SHEET_ID}/#why")], hrefs
    [link] = [a for a in page.cssselect("article a[href]") if a.get("href").endswith(f"{SHEET_ID}/#why-host")]
    shown = link.getparent()
    while shown is not None and shown.get("lang") != "en":
        shown = shown.getparent()
    assert shown is not None and "Students see real work" in shown.text_content()
    target = project / "site" / "es" / urls.resource_page(SHEET_ID) / "index.html"
    assert 'id="why-host"' in target.read_text(encoding="utf-8")


def test_a_link_the_model_refuses_in_a_translation_is_still_an_error(tmp_path):
    """Only links that do not resolve fall back to English; a link no text may hold (a
    script, a bare address) stays an error for the translator, even beside a broken one."""
    project = linked_project(tmp_path)
    broken = LINKED_ES.replace("#why)", "#nowhere) [x](javascript:alert(1))")
    edit(project, ACTIVITY_ES, f'es: "{LINKED_ES}"', f'es: "{broken}"')
    with pytest.raises(ContentError) as caught:
        load_toolkit(project)
    assert ACTIVITY_ES in caught.value.report() and "javascript:" in caught.value.report()
