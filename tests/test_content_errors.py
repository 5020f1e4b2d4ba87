"""Bad and tricky content (../shared/cases/README.md), made in a fixture project
(tests/fixtures/base): each kind of fault gives an editor a clear error naming the file, line
and field, or comes out literally and safely."""
from __future__ import annotations

import re

import pytest

from helpers import edit, line_of, load, problems

CHECKLIST = "content/resources/site-visit-student-checklist.yml"
CHECKLIST_ID = "site-visit-student-checklist"
ACTIVITY = "content/activities/site-visits.yml"
PACK = '"Pack a notebook and a pen."'


def test_case1_duplicate_key_names_both_lines(project):
    edit(project, CHECKLIST, 'kind: checklist\n', 'kind: checklist\ntitle: "Another title"\n')
    report = problems(project)
    first = line_of(project, CHECKLIST, 'title: "Another title"')
    second = line_of(project, CHECKLIST, 'title: "Student Site')
    assert f"{CHECKLIST}:{second}:1: title: the key 'title' appears twice, on lines {first} and {second}" in report


def test_case2_misspelt_key_suggests_the_right_one(project):
    edit(project, CHECKLIST, 'title: "Student', 'titel: "Student')
    report = problems(project)
    line = line_of(project, CHECKLIST, "titel:")
    assert f"{CHECKLIST}:{line}:1: titel: unknown key 'titel' — did you mean 'title'?" in report
    assert f"title: 'title' is required here but missing" in report


def test_case3_tab_indent_gives_line_and_column(project):
    edit(project, CHECKLIST, "      - id: pick-a-question", "\t- id: pick-a-question")
    report = problems(project)
    line = line_of(project, CHECKLIST, "pick-a-question")
    assert re.search(rf"{re.escape(CHECKLIST)}:{line}:\d+: a tab character is used here — YAML needs spaces", report)


@pytest.mark.parametrize("char, name", [("\x0b", "vertical tab, U+000B"), ("\x01", "U+0001"), ("\x1b", "escape, U+001B"),
                                        ("\x7f", "delete, U+007F"), ("\x00", "NUL, U+0000"), ("\x0c", "form feed, U+000C")])
def test_case3b_an_invisible_control_character_is_named_at_its_line(project, char, name):
    """A control character pasted into quoted text (Word's Shift+Enter is a vertical tab) is
    reported at its line, column and field, by name, with the fix; not as a tab."""
    edit(project, CHECKLIST, PACK, f'"Pack a{char}notebook and a pen."')
    report = problems(project)
    lines = (project / CHECKLIST).read_text(encoding="utf-8").split("\n")   # not splitlines(): it splits at \x0b, \x0c
    line = next(n for n, text in enumerate(lines, 1) if char in text)
    col = lines[line - 1].index(char) + 1
    [message] = [m for m in report.splitlines() if m.startswith(f"{CHECKLIST}:")]
    assert re.match(rf"{re.escape(CHECKLIST)}:{line}:{col}: phases\[\d+\]\.items\[\d+\]\.text: an invisible control character is here "
                    rf"\({re.escape(name)}.*\) — delete it or retype the text around it$", message), message
    assert "tab character" not in report


@pytest.mark.parametrize("value", ["no", "yes", "on", "12", "1.10", "off", "2026-01-01", "null-ish"])
def test_case4_unquoted_scalars_stay_literal_text(project, value):
    edit(project, CHECKLIST, f"text: {PACK}", f"text: {value}")
    toolkit = load(project)
    items = [i.text for p in toolkit.resources[CHECKLIST_ID].phases for i in p.items]
    assert value in items
    assert not {"True", "False", "1.1"} & set(items)


@pytest.mark.parametrize("body", ["", "# only a comment\n", "\n\n"])
def test_case5_empty_file(project, body):
    (project / CHECKLIST).write_text(body, encoding="utf-8")
    report = problems(project)
    assert f"{CHECKLIST}:1:1: the file is empty (or holds only comments) — start from the template for its kind in CONTRIBUTING.md" in report
    assert "('Add a new resource')" in report


def test_case8_javascript_link_is_refused(project):
    edit(project, CHECKLIST, PACK, '"Pack [this](javascript:alert(1)) now."')
    report = problems(project)
    line = line_of(project, CHECKLIST, "javascript:")
    assert f"{CHECKLIST}:{line}:9: phases[0].items[2].text: link target 'javascript:alert(1' is not allowed" in report
    assert "use an https:, http:, mailto: or tel: link" in report


@pytest.mark.parametrize("text", ["[passwords](file:///etc/passwd)", "![x](http://169.254.169.254/)", "![x](https://example.org/a.png)", "[meta](data:text/html,hi)"])
def test_case9_file_links_and_images_are_refused(project, text):
    edit(project, CHECKLIST, PACK, f'"Pack {text} now."')
    report = problems(project)
    assert "phases[0].items[2].text:" in report
    assert ("is not allowed" in report) or ("images are not allowed in text" in report)


def test_case13_latin1_file_names_encoding(project):
    path = project / CHECKLIST
    path.write_bytes(path.read_text(encoding="utf-8").replace("’", "'").replace("–", "-").replace("“", '"').replace("”", '"').replace("Pack a notebook", "Pack a cuaderno de espa\u00f1ol").encode("latin-1"))
    report = problems(project)
    assert re.search(rf"{re.escape(CHECKLIST)}:\d+:\d+: the file is not UTF-8 \(byte 0xf1; it looks like Windows-1252 / Latin-1\) — save it with UTF-8 encoding", report)


def test_case14_duplicate_ids_name_both_files(project):
    src = project / CHECKLIST
    dup = project / "content/resources/copy-of-checklist.yml"
    dup.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    report = problems(project)
    assert "content/resources/copy-of-checklist.yml:2:1: id: the id 'site-visit-student-checklist' does not match the file name" in report
    both = [line for line in report.splitlines() if "is already used by" in line]
    assert len(both) == 1 and CHECKLIST in both[0] and "copy-of-checklist.yml (line 2)" in both[0]


def test_case15_dangling_reference_names_id_and_closest_match(project):
    edit(project, ACTIVITY, "- site-visit-student-checklist", "- site-visit-studnet-checklist")
    report = problems(project)
    line = line_of(project, ACTIVITY, "studnet")
    assert (f"{ACTIVITY}:{line}:9: tools[0].resources[0]: no resource has the id 'site-visit-studnet-checklist'"
            f" — did you mean 'site-visit-student-checklist'?") in report


def test_case16_unquoted_colon_asks_for_quotes(project):
    edit(project, CHECKLIST, f"text: {PACK}", "text: Step 1: Prepare")
    report = problems(project)
    line = line_of(project, CHECKLIST, "Step 1: Prepare")
    assert f"{CHECKLIST}:{line}:" in report
    assert 'put the whole text in double quotes, for example  text: "Step 1: Prepare"' in report
    assert report.count("\n") == 1  # one mistake, one problem: no knock-on errors in other files


def test_wrong_type_and_bad_id_and_date(project):
    edit(project, CHECKLIST, "max_pages: 1", "max_pages: one")
    edit(project, CHECKLIST, "revised: 2026-03-02", "revised: last week")
    edit(project, CHECKLIST, "- id: pick-a-question", "- id: Pick A Question")
    report = problems(project)
    assert "max_pages: this should be a whole number from 1 to 20" in report
    assert "revised: this should be a date written as YYYY-MM-DD" in report
    assert "phases[0].items[0].id: ids use lowercase letters, digits and hyphens only" in report


def test_every_problem_is_reported_at_once(project):
    edit(project, CHECKLIST, 'title: "Student', 'titel: "Student')
    edit(project, ACTIVITY, "stage: stage-two", "stage: stage-twoo")
    report = problems(project)
    assert "unknown key 'titel'" in report
    assert "'stage-twoo' is not a stage of the continuum in content/site.yml — did you mean 'stage-two'?" in report
    assert report.strip().endswith("problems found in the content; nothing was built.")


def test_aliases_and_custom_tags_are_refused(project):
    edit(project, CHECKLIST, 'summary: "Steps', 'summary: &s "Steps')
    edit(project, CHECKLIST, 'closing: "Questions?', 'closing: *s\nx_closing: "Questions?')
    report = problems(project)
    assert "(YAML aliases are not supported)" in report


def test_oversized_file_is_refused(project):
    path = project / CHECKLIST
    path.write_text(path.read_text(encoding="utf-8") + "# " + "x" * 300_000 + "\n", encoding="utf-8")
    assert "content files may be at most 256 KB" in problems(project)


def test_comment_cutting_unquoted_text_is_reported(project):
    edit(project, CHECKLIST, f"text: {PACK}", "text: Pack questions #1-#10 from your list")
    line = line_of(project, CHECKLIST, "#1-#10")
    assert (f"{CHECKLIST}:{line}:30: phases[0].items[2].text: the text is cut short here: YAML reads ' #' as the "
            "start of a comment, so '#1-#10 from your list' is dropped — put the whole text in double quotes") in problems(project)


@pytest.mark.parametrize("title", ["Checklist <b>new</b>", "Checklist {{ config.site_url }}", "Checklist {% if x %}"])
def test_titles_are_plain_text(project, title):
    edit(project, CHECKLIST, 'title: "Student Site Visit Checklist"', f'title: "{title}"')
    assert f"{CHECKLIST}:4:1: title: titles and labels are plain text and may not contain" in problems(project)


def test_relative_links_are_refused(project):
    edit(project, CHECKLIST, PACK, '"Pack [this](../../index.html) now."')
    assert "link target '../../index.html' is not a full address" in problems(project)


def test_every_bad_link_in_one_text_is_reported(project):
    edit(project, CHECKLIST, PACK, '"[a](javascript:x) and [b](file:///etc/passwd)"')
    report = problems(project)
    assert "'javascript:x' is not allowed" in report and "'file:///etc/passwd' is not allowed" in report


def test_duplicate_item_id_points_at_second_use(project):
    edit(project, CHECKLIST, "- id: pack-supplies", "- id: pick-a-question")
    first, second = line_of(project, CHECKLIST, "- id: pick-a-question"), line_of(project, CHECKLIST, "Pack a notebook") - 1
    assert f"{CHECKLIST}:{second}:" in problems(project)
    assert f"id 'pick-a-question' is used twice (lines {first} and {second})" in problems(project)


def test_unreadable_brand_colour_is_refused(project):
    edit(project, "content/site.yml", 'primary: "#1d4f73"', 'primary: "#ffff66"')
    assert "district.brand: primary colour #ffff66 has contrast 1.06:1 against white; text needs at least 4.5:1" in problems(project)


def test_an_empty_text_offers_to_remove_the_line_only_where_the_key_may_be_left_out(project):
    """An empty required text must be written; an empty optional one may also be removed
    (removing a required line would only give a "missing" message)."""
    edit(project, CHECKLIST, '"Student Site Visit Checklist"', '""')
    edit(project, CHECKLIST, '"Questions? Ask your teacher."', '""')
    report = problems(project)
    title = next(line for line in report.splitlines() if line.startswith(f"{CHECKLIST}:{line_of(project, CHECKLIST, 'title:')}:"))
    closing = next(line for line in report.splitlines() if line.startswith(f"{CHECKLIST}:{line_of(project, CHECKLIST, 'closing:')}:"))
    assert "title: is empty" in title and "remove the line" not in title
    assert "closing: is empty" in closing and "remove the line" in closing


@pytest.mark.parametrize("date, says", [("2026-11-31", "November 2026 has 30 days"), ("2026-13-02", "there is no month 13"),
                                        ("11/20/2026", "YYYY-MM-DD")])
def test_a_date_the_calendar_does_not_have_says_why(project, date, says):
    """A date written the right way but not on the calendar says what is wrong with it, not
    to write it the way it is already written."""
    edit(project, CHECKLIST, "revised: 2026-03-02", f"revised: {date}")
    line = line_of(project, CHECKLIST, "revised:")
    [found] = [p for p in problems(project).splitlines() if p.startswith(f"{CHECKLIST}:{line}:")]
    assert "revised:" in found and says in found


def test_a_mistyped_language_key_in_a_translation_suggests_the_right_one(project):
    translation = f"content/translations/es/resources/{CHECKLIST.rsplit('/', 1)[1]}"
    edit(project, translation, "\n    es: ", "\n    se: ")
    report = problems(project)
    assert f"{translation}:" in report and "unknown key 'se' — did you mean 'es'?" in report


#: Slips a word processor or a web page makes in a content file, the text put in place of
#: the fixture's, and words of the message that says what it is (not YAML's own jargon).
SLIPS = {
    "backslash in double quotes": ('closing: "Questions? Ask your teacher."', 'closing: "Questions? Ask\\s your teacher."', "a backslash"),
    "text starting with a dash": ('closing: "Questions? Ask your teacher."', "closing: - Questions? Ask your teacher.", "must be in double quotes"),
    "non-breaking space after a colon": ('closing: "Questions? Ask your teacher."', 'closing:\u00a0"Questions? Ask your teacher."', "a non-breaking space"),
    "non-breaking space indenting": ('        text: "Pack a notebook and a pen."', '\u00a0       text: "Pack a notebook and a pen."', "a non-breaking space"),
}


@pytest.mark.parametrize("slip", list(SLIPS))
def test_a_typing_slip_is_named_on_its_own_line(project, slip):
    """A backslash, a leading dash or a non-breaking space (pasted from a web page) gets a
    message that names the slip and how to mend it, on the line where it is."""
    old, new, says = SLIPS[slip]
    needle = old.strip().split(":")[0] + ":"
    line = line_of(project, CHECKLIST, old.strip())
    edit(project, CHECKLIST, old, new)
    report = problems(project)
    mine = [p for p in report.splitlines() if p.startswith(f"{CHECKLIST}:{line}:")]
    assert mine and says in mine[0], (needle, report)
    assert "not valid YAML" not in report and "line above" not in report


def test_a_file_saved_as_utf_16_is_named_so(project):
    path = project / CHECKLIST
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    report = problems(project)
    assert f"{CHECKLIST}:1:1: the file is saved as UTF-16" in report and "Windows-1252" not in report


def test_a_typo_in_an_id_line_is_mended_in_that_file_not_where_it_is_used(project):
    """A resource whose ``id:`` line has a typo: the places that use the right id (its file
    name) are told to correct the ``id:`` line in that file, not to copy the typo."""
    edit(project, CHECKLIST, f"id: {CHECKLIST_ID}", f"id: {CHECKLIST_ID}x")
    report = problems(project)
    uses = [line for line in report.splitlines() if f"no resource has the id '{CHECKLIST_ID}'" in line]
    assert uses and all(f"{CHECKLIST} is there, but its id: line says '{CHECKLIST_ID}x'" in line for line in uses)
    assert f"did you mean '{CHECKLIST_ID}x'" not in report


def test_a_deleted_resource_still_listed_says_to_remove_the_line(project):
    (project / CHECKLIST).unlink()
    report = problems(project)
    uses = [line for line in report.splitlines() if f"no resource has the id '{CHECKLIST_ID}'" in line]
    assert uses and all(f"if {CHECKLIST} was deleted on purpose, remove this" in line for line in uses)
