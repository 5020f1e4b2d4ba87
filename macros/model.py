"""Typed content model of the WBL Toolkit.

Every content file in ``content/`` validates into one of these classes:

* ``content/site.yml``                 -> :class:`SiteContent` (district, brand, audiences,
  WBL continuum, home page text)
* ``content/activities/<id>.yml``      -> :class:`Activity` (one activity on the continuum)
* ``content/resources/<id>.yml``       -> one of :data:`RESOURCE_KINDS` (checklist, tip sheet,
  fact sheet, worksheet, reflection form, evaluation form, agreement, log, plan), chosen by its
  ``kind`` key.

Design rules:

* Every model forbids unknown keys (``extra="forbid"``) so a misspelt key is an error, not a
  silently ignored line.
* Every repeated thing (checklist item, tip, fact, field, prompt, rated item) has a stable ``id``.
  Ids name form fields in PDFs, anchors on pages and, later, translations: they never change when
  the wording changes.
* Text fields hold *inline Markdown* (``**bold**``, ``*italic*``, ``[links](https://…)``); they are
  data, never templates. Link targets are checked here (see :func:`check_inline_text`).
* Nothing here knows about MkDocs or WeasyPrint.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Literal, Union

from markdown_it import MarkdownIt
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

#: Link schemes an editor may use in text. ``resource:<id>`` and ``activity:<id>`` are internal
#: links resolved at render time; ``#anchor`` and relative paths are internal too.
ALLOWED_SCHEMES = ("https", "http", "mailto", "tel")
INTERNAL_SCHEMES = ("resource", "activity", "page")

_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_md = MarkdownIt("commonmark", {"html": False}).disable(["image"], ignoreInvalid=True)
_md_images = MarkdownIt("commonmark", {"html": False})


def link_targets(text: str) -> list[str]:
    """Return every link and image target written in ``text`` (inline Markdown), in order.

    Also returns autolinks (``<https://…>``). Used to validate targets before anything renders.
    """
    targets: list[str] = []
    for block in _md_images.parseInline(text):
        for tok in block.children or []:
            if tok.type == "link_open":
                targets.append(str(tok.attrs.get("href", "")))
            elif tok.type == "image":
                targets.append("image:" + str(tok.attrs.get("src", "")))
    # markdown-it refuses to turn javascript:/file:/data: targets into links (validateLink) and
    # leaves them as plain text; catch them from the raw source so the editor hears about it.
    for raw in re.findall(r"\]\(\s*<?([^)\s>]+)", text):
        if raw not in targets:
            targets.append(raw)
    for raw in re.findall(r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^>\s]*)>", text):
        if raw not in targets:
            targets.append(raw)
    return targets


def check_inline_text(text: str) -> str:
    """Validate one inline-Markdown text value and return it unchanged.

    Raises:
        ValueError: listing every problem in the text at once: images (not allowed in text);
            links whose target is not https, http, mailto or tel, nor an internal target
            (``resource:<id>``, ``activity:<id>``, ``page:<path>``, ``#anchor``). ``file:``,
            ``javascript:`` and ``data:`` links and relative paths are refused, so nothing in
            content can make a build fetch a file or run a script.
    """
    problems: list[str] = []
    for target in link_targets(text):
        if target.startswith("image:"):
            problems.append(
                "images are not allowed in text — remove the ![…](…) part; "
                "pictures are added by developers, not in content files"
            )
            continue
        m = _SCHEME_RE.match(target)
        if m and m.group(1).lower() not in ALLOWED_SCHEMES + INTERNAL_SCHEMES:
            problems.append(
                f"link target '{target}' is not allowed — use an https:, http:, mailto: or tel: "
                "link, or an internal link such as resource:<id>"
            )
        elif not m and not target.startswith("#"):
            problems.append(
                f"link target '{target}' is not a full address — write it in full starting with "
                "https://, or link to a toolkit page as resource:<id> or activity:<id>"
            )
    if problems:
        raise ValueError("; ".join(dict.fromkeys(problems)))
    return text


def check_plain_title(text: str) -> str:
    """Titles and labels are plain text: refuse ``<``, ``>`` and template braces.

    They appear in navigation, page titles and PDF bookmarks, where nothing may be markup.

    Raises:
        ValueError: the text contains ``<``, ``>``, ``{{``, ``{%`` or ``{#``.
    """
    bad = [tok for tok in ("<", ">", "{{", "{%", "{#") if tok in text]
    if bad:
        raise ValueError(
            f"titles and labels are plain text and may not contain {' or '.join(repr(b) for b in bad)} "
            "— remove them (use words instead)"
        )
    return text


def contrast_ratio(fg: str, bg: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1.0–21.0).

    Source: WCAG 2.1, definitions of "relative luminance" and "contrast ratio"
    (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
    """

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=80),
]
"""A stable identifier: lowercase letters, digits and single hyphens (``bring-notebook``)."""

Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=160),
    AfterValidator(check_plain_title),
]
"""A plain-text title or label (no Markdown, no ``<``/``>``, no template braces)."""

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(check_inline_text),
]
"""One paragraph or item of inline Markdown text (1–2000 characters)."""

def check_not_future(value: _dt.date) -> _dt.date:
    """A revision date may not lie in the future: it says when the text last really changed.

    Compared with the build machine's date (UTC on CI) plus one day of slack, so an editor
    west or east of the build machine who writes their own today's date is never refused.

    Raises:
        ValueError: the date is more than one day after today.
    """
    today = _dt.date.today()
    if value > today + _dt.timedelta(days=1):
        raise ValueError(
            f"the date {value.isoformat()} is in the future — write the date of the change "
            f"(today is {today.isoformat()}), as YYYY-MM-DD"
        )
    return value


Revised = Annotated[_dt.date, AfterValidator(check_not_future)]
"""A revision date (``YYYY-MM-DD``), today or earlier."""

HexColour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s<>]+@[^@\s<>]+\.[a-zA-Z]{2,}$")]


class Model(BaseModel):
    """Base of every content model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, use_attribute_docstrings=True)


# --------------------------------------------------------------------------------------------
# Site: content/site.yml
# --------------------------------------------------------------------------------------------


class Brand(Model):
    """Brand colours as ``#rrggbb``. ``primary`` is used for the header and headings and must
    keep 4.5:1 contrast against white; ``accent`` for links and focus rings."""

    primary: HexColour
    """Main colour: the page header and headings. Must be dark enough to read on white."""
    primary_dark: HexColour
    """Darker shade of the main colour, for hover and pressed buttons."""
    accent: HexColour
    """Colour of links and of the outline that shows where the keyboard is."""

    @model_validator(mode="after")
    def _readable(self) -> "Brand":
        # WCAG 2.1 AA 1.4.3: 4.5:1 for text. Every brand colour is used for text or controls
        # on white (headings, links, buttons), and white text sits on primary in the header.
        for name in ("primary", "primary_dark", "accent"):
            colour = getattr(self, name)
            ratio = contrast_ratio(colour)
            if ratio < 4.5:
                raise ValueError(
                    f"{name} colour {colour} has contrast {ratio:.2f}:1 against white; text needs at "
                    "least 4.5:1 (WCAG 2.1 AA) — choose a darker colour"
                )
        return self


class District(Model):
    """Who publishes the toolkit. ``name`` appears in the running header of every PDF and in the
    site footer; ``contact_email`` is the WBL office mailbox shown on every page."""

    name: Title
    """The district's full name. Printed at the top of every PDF and in the site footer."""
    office: Title
    """The office that runs work-based learning (shown in the footer and the home page contact line)."""
    contact_email: Email
    """The WBL office mailbox shown on every page, like `wbl@district.org`."""
    toolkit_name: Title
    """Name of the toolkit: the site title and the top of every PDF."""
    tagline: Text
    """One sentence under the toolkit name on the home page."""
    brand: Brand
    """The brand colours."""


class Audience(Model):
    """A reader group. ``label`` is singular ("Student"), ``plural`` for lists ("Students")."""

    id: Id
    """Short id that resources use in their `audiences` list, like `student`."""
    label: Title
    """Name of one person in this group, like `Student`."""
    plural: Title
    """Name of the group, like `Students` (used in lists and on the home page)."""
    description: Text
    """Who belongs to this group. Kept for editors; not shown on pages yet."""
    address: Literal["formal", "informal"] = "formal"
    """How the interface words speak to this group in a language with two ways to say *you* (Spanish *usted* and *tú*): `informal` for students, `formal` (the default) for adults. A page or PDF for an informal group (and every page for everyone) uses the informal words; one only for formal groups the formal ones."""


class StageActivity(Model):
    """An activity named on a continuum stage; ``activity`` links it to an activity file."""

    title: Title
    """Name of the activity as shown on the continuum page."""
    activity: Id | None = None
    """Id of the activity file, when the activity has toolkit pages (makes the title a link). Leave it out otherwise."""


class Stage(Model):
    """One stage of the WBL continuum (Career Awareness, Career Exploration, …)."""

    id: Id
    """Short id of the stage, like `career-exploration`; activities name it in their `stage`."""
    title: Title
    """Name of the stage, like `Career Exploration`."""
    summary: Text
    """One sentence: what students do at this stage."""
    description: Text
    """A longer paragraph about the stage."""
    activities: list[StageActivity] = Field(min_length=1)
    """The activities at this stage, in order."""


class Continuum(Model):
    """The district's work-based learning continuum: ordered stages plus activities that can
    happen at any stage (``any_stage``)."""

    title: Title
    """Title of the continuum page."""
    introduction: list[Text] = Field(min_length=1)
    """Paragraphs at the top of the continuum page (one per entry)."""
    stages: list[Stage] = Field(min_length=1)
    """The stages, in order."""
    any_stage: list[Text] = []
    """Paragraphs about activities that can happen at any stage (optional)."""


class Home(Model):
    """Text of the toolkit's home page."""

    introduction: list[Text] = Field(min_length=1)
    """Paragraphs at the top of the home page (one per entry)."""
    how_to_use: list[Text] = []
    """Bullet points under "How to use this toolkit" (optional)."""


class AccessibilityStatement(Model):
    """The site's accessibility statement: the standard followed, what has been checked, how to
    ask for another format, and how to report a problem (the district's contact is added)."""

    title: Title
    """Page title, e.g. "Accessibility"."""
    introduction: list[Text] = Field(min_length=1)
    """Opening paragraphs."""
    standard: Text
    """The standard the site and PDFs meet (WCAG 2.1 AA, PDF/UA)."""
    checks: list[Text] = Field(min_length=1)
    """How the toolkit is checked, one point each."""
    other_formats: list[Text] = Field(min_length=1)
    """How to ask for another format or language."""
    report_a_problem: Text
    """How to report a barrier; the district's contact is shown after it."""


class SiteContent(Model):
    """``content/site.yml``: everything about the site that is not one activity or resource.

    ``site_url`` is the address the site is published at, ending in ``/`` (it may include a
    sub-path, e.g. ``https://intranet.example.org/wbl/``). PDFs print links under it. The
    environment variable ``TOOLKIT_SITE_URL`` overrides it for one build (see
    :func:`macros.loader.site_url`)."""

    site_url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+/$")]
    """The address the site is published at, starting with https:// and ending with /. PDFs print links under it."""
    district: District
    """Who publishes the toolkit."""
    audiences: list[Audience] = Field(min_length=1)
    """The reader groups, in the order the home page lists them."""
    continuum: Continuum
    """The work-based learning continuum page."""
    home: Home
    """Text of the home page."""
    accessibility: AccessibilityStatement
    """The accessibility statement page."""
    language: Literal["en", "es"] = "en"
    """Language of the content. Only `en` for now."""

    @model_validator(mode="after")
    def _unique_ids(self) -> "SiteContent":
        _require_unique([a.id for a in self.audiences], "audiences")
        _require_unique([s.id for s in self.continuum.stages], "continuum.stages")
        return self

    def audience(self, audience_id: str) -> Audience:
        """Return the audience with this id. Raises KeyError if there is none."""
        for a in self.audiences:
            if a.id == audience_id:
                return a
        raise KeyError(audience_id)

    def stage(self, stage_id: str) -> Stage:
        """Return the continuum stage with this id. Raises KeyError if there is none."""
        for s in self.continuum.stages:
            if s.id == stage_id:
                return s
        raise KeyError(stage_id)


# --------------------------------------------------------------------------------------------
# Activity: content/activities/<id>.yml
# --------------------------------------------------------------------------------------------


class ActivitySection(Model):
    """A section of the activity page (Purpose, Structure, Format, Outcomes): a lead sentence
    and its bullet points."""

    id: Id
    """Short id of the section; it is also its anchor (`activity:<id>#<section-id>`)."""
    title: Title
    """Heading of the section, like `Purpose`."""
    lead: Text
    """The sentence before the bullet points."""
    points: list[Text] = Field(min_length=1)
    """The bullet points, one per entry."""


class Note(Model):
    """A highlighted note (rendered as an admonition on the web, a boxed note in print)."""

    id: Id
    """Short id of the note (its anchor)."""
    title: Title
    """Heading of the note box."""
    text: Text
    """The note itself."""


class ToolGroup(Model):
    """A group of resources under "Tools and Materials" (e.g. Checklists), in toolkit order."""

    id: Id
    """Short id of the group (its anchor)."""
    title: Title
    """Heading of the group, like `Checklists`."""
    resources: list[Id] = Field(min_length=1)
    """Ids of the resources in this group, in the order readers see them. Every resource must be listed in some activity."""


class Activity(Model):
    """One WBL activity (e.g. Informational Interviews) and its Tools and Materials.

    ``former_ids`` lists ids the activity had before it was renamed; the build redirects their
    old page and packet URLs to the current ones (README: "Renaming an id")."""

    id: Id
    """Id of the activity: the same as the file name without `.yml`, and part of its web address."""
    former_ids: list[Id] = []
    """Ids this one had before (old links to them are redirected here). Add the old id when you rename."""
    title: Title
    """Name of the activity, like `Informational Interviews`."""
    stage: Id
    """Id of the continuum stage this activity belongs to (a stage `id` in content/site.yml)."""
    definition: Text
    """One sentence: what the activity is."""
    introduction: list[Text] = Field(min_length=1)
    """Paragraphs after the definition (one per entry)."""
    sections: list[ActivitySection] = Field(min_length=1)
    """Purpose, Structure, Format, Outcomes and so on, in order."""
    notes: list[Note] = []
    """Highlighted notes shown after the sections (optional)."""
    tools_introduction: Text
    """The sentence under the "Tools and Materials" heading."""
    tools: list[ToolGroup] = Field(min_length=1)
    """The groups of resources under "Tools and Materials"."""
    revised: Revised
    """Date of the last real change, written as YYYY-MM-DD."""

    @model_validator(mode="after")
    def _unique_ids(self) -> "Activity":
        _check_former_ids(self.id, self.former_ids)
        _require_unique([s.id for s in self.sections], "sections")
        _require_unique([g.id for g in self.tools], "tools")
        _require_unique([r for g in self.tools for r in g.resources], "tools[*].resources")
        return self

    @property
    def resource_ids(self) -> list[str]:
        """Resource ids in toolkit order (group by group)."""
        return [r for g in self.tools for r in g.resources]


# --------------------------------------------------------------------------------------------
# Resources: content/resources/<id>.yml
# --------------------------------------------------------------------------------------------


class ResourceBase(Model):
    """Fields every resource has.

    ``max_pages`` is the printed length the resource must fit in (US Letter); the PDF build
    fails when the English grows past it, so an editor learns at once that an added item pushed
    the sheet onto another page (a translated sheet past it is published with a warning
    naming its translation file, :func:`macros.pdf.check_page_budget`).

    ``former_ids`` lists ids the resource had before it was renamed; the build redirects their
    old page and PDF URLs to the current ones (README: "Renaming an id").
    """

    id: Id
    """Id of the resource: the same as the file name without `.yml`, and part of its web address and PDF name. Never change it once published."""
    former_ids: list[Id] = []
    """Ids this one had before (old links to them are redirected here). Add the old id when you rename."""
    title: Title
    """Title of the resource, shown on its page, in the menu and on the PDF. Must differ from every other resource's title."""
    audiences: list[Id] = Field(min_length=1)
    """Who it is for: audience ids from content/site.yml, like `[student]`."""
    summary: Text
    """One sentence that says what it is; shown in lists of resources."""
    introduction: list[Text] = []
    """Paragraphs before the content (optional; one per entry)."""
    revised: Revised
    """Date of the last real change, written as YYYY-MM-DD. Printed on the PDF."""
    max_pages: int = Field(ge=1, le=20)
    """How many printed pages it may fill (1 to 20). A sheet that runs over, or whose last page would hold only a few lines, is printed in slightly smaller type if that fits it or saves the page; the build stops if it is still too long in English (a translation still too long is published, with a warning)."""
    related: list[Id] = []
    """Ids of other resources to list under "Related" (optional)."""
    closing: Text | None = None
    """A last line after the content, like who to ask (optional)."""

    @model_validator(mode="after")
    def _former_ids_differ(self) -> "ResourceBase":
        _check_former_ids(self.id, self.former_ids)
        return self


class ChecklistItem(Model):
    """One thing to do, shown with a checkbox."""

    id: Id
    """Short id of the item. Names its checkbox in the PDF: keep it when you change the text."""
    text: Text
    """What to do."""


class Phase(Model):
    """A group of checklist items done at one time (e.g. "Before the interview")."""

    id: Id
    """Short id of the phase, like `before`. Links to this phase use it as their anchor: `resource:<id>#before`."""
    title: Title
    """Heading of the phase, like `Before the interview`."""
    when: Text | None = None
    """When to do these items, like `1–2 weeks before` (optional)."""
    items: list[ChecklistItem] = Field(min_length=1)
    """The things to do, in order."""


class Checklist(ResourceBase):
    """A checklist: phases of items, each with a checkbox."""

    kind: Literal["checklist"]
    """Always `checklist`."""
    phases: list[Phase] = Field(min_length=1)
    """The groups of items, in order."""

    @model_validator(mode="after")
    def _unique_ids(self) -> "Checklist":
        _require_unique([p.id for p in self.phases], "phases")
        _require_unique([i.id for p in self.phases for i in p.items], "phases[*].items")
        return self


class Tip(Model):
    """One tip: a short headline and the advice."""

    id: Id
    """Short id of the tip (its anchor)."""
    title: Title
    """The tip in a few words, shown in bold."""
    text: Text
    """The advice."""


class TipSheet(ResourceBase):
    """A tip sheet: a list of tips for one audience."""

    kind: Literal["tip-sheet"]
    """Always `tip-sheet`."""
    tips: list[Tip] = Field(min_length=1)
    """The tips, in order."""

    @model_validator(mode="after")
    def _unique_ids(self) -> "TipSheet":
        _require_unique([t.id for t in self.tips], "tips")
        return self


class Fact(Model):
    """A label/value fact (e.g. label "Time", value "Usually 20–30 minutes")."""

    id: Id
    """Short id of the fact (its anchor)."""
    label: Title
    """What the fact is about, like `Time`."""
    value: Text
    """The fact, like `Usually 20–30 minutes`."""


class FactSection(Model):
    """A section of a fact sheet: optional paragraph, bullet points and label/value facts."""

    id: Id
    """Short id of the section (its anchor)."""
    title: Title
    """Heading of the section."""
    text: Text | None = None
    """A paragraph (optional)."""
    points: list[Text] = []
    """Bullet points (optional)."""
    facts: list[Fact] = []
    """Label and value pairs (optional). A section needs text, points or facts."""

    @model_validator(mode="after")
    def _has_content(self) -> "FactSection":
        if not (self.text or self.points or self.facts):
            raise ValueError("a section needs text, points or facts — add at least one of them")
        return self


class FactSheet(ResourceBase):
    """A fact sheet: sections of short facts for decision-makers."""

    kind: Literal["fact-sheet"]
    """Always `fact-sheet`."""
    sections: list[FactSection] = Field(min_length=1)
    """The sections, in order."""

    @model_validator(mode="after")
    def _unique_ids(self) -> "FactSheet":
        _require_unique([s.id for s in self.sections], "sections")
        _require_unique([f.id for s in self.sections for f in s.facts], "sections[*].facts")
        return self


FieldType = Literal["text", "lines", "date", "time", "number", "choice", "checkboxes", "yes-no", "signature"]


class FormField(Model):
    """One field of a worksheet or form.

    Types: ``text`` (one line), ``lines`` (``lines`` ruled lines to write on, 2–20), ``date``,
    ``time``, ``number``, ``choice`` (one of ``options``), ``checkboxes`` (any of ``options``),
    ``yes-no``, ``signature`` (a line to sign on paper; a plain text box on screen — the toolkit
    makes no electronic-signature claim).
    ``options_from: continuum`` fills the options with every activity on the WBL continuum.
    ``roles`` limits the field to some respondents of an evaluation (empty: everyone).
    """

    id: Id
    """Short id of the field. Names the fill-in box in the PDF: keep it when you change the label."""
    label: Title
    """The question or the name of the box, like `Your name`."""
    type: FieldType = "text"
    """What kind of answer: `text` (one line, the default), `lines` (several lines to write on), `date`, `time`, `number`, `choice` (pick one), `checkboxes` (pick any), `yes-no` or `signature` (a line to sign on)."""
    hint: Text | None = None
    """A short help text under the label (optional)."""
    lines: int = Field(default=3, ge=2, le=20)
    """For `type: lines`: how many lines to write on (2 to 20; 3 if left out)."""
    options: list[Title] = []
    """For `choice` and `checkboxes`: the answers to pick from."""
    options_from: Literal["continuum"] | None = None
    """For `choice` and `checkboxes`: `continuum` fills the options with every activity on the continuum (instead of `options`)."""
    roles: list[Id] = []
    """On an evaluation: respondent ids who answer this field (leave out for everyone)."""

    @model_validator(mode="after")
    def _options(self) -> "FormField":
        if self.type in ("choice", "checkboxes"):
            if not self.options and not self.options_from:
                raise ValueError(
                    f"a '{self.type}' field needs options — add 'options:' with a list of choices"
                )
        elif self.options or self.options_from:
            raise ValueError(
                f"only 'choice' and 'checkboxes' fields take options — remove 'options' "
                f"or set 'type: choice' (this field is '{self.type}')"
            )
        return self


class ScalePoint(Model):
    """One point of a rating scale: ``value`` ("1"…"5") and its meaning ("Strongly disagree")."""

    value: Title
    """The number or word in the column head, like `"1"`."""
    label: Title
    """What it means, like `Strongly disagree`."""


class RatedItem(Model):
    """A statement rated on the part's scale; ``roles`` limits it to some respondents."""

    id: Id
    """Short id of the statement. Names its answer in the PDF: keep it when you change the text."""
    text: Text
    """The statement to rate."""
    roles: list[Id] = []
    """On an evaluation: respondent ids who rate this statement (leave out for everyone)."""


class Rating(Model):
    """A rating grid: statements (rows) rated on one scale (columns), optionally with N/A."""

    scale: list[ScalePoint] = Field(min_length=2, max_length=7)
    """The columns, from 2 to 7 of them."""
    not_applicable: Title | None = None
    """Heading of an extra "does not apply" column, like `N/A` (optional)."""
    items: list[RatedItem] = Field(min_length=1)
    """The statements to rate, one row each."""
    blank_rows: int = Field(default=0, ge=0, le=6)
    """Extra rows whose statement the reader writes in (0 to 6; 0 if left out), e.g. skills from a training plan."""
    blank_label: Title | None = None
    """For `blank_rows`: what the reader writes in each, like `Skill from the training plan` (numbered 1, 2, …)."""

    @model_validator(mode="after")
    def _blank_label(self) -> "Rating":
        if self.blank_rows and not self.blank_label:
            raise ValueError("'blank_rows' needs a 'blank_label' that says what to write in each row")
        return self


TableCellType = Literal["text", "date", "time", "number", "choice"]


class TableColumn(Model):
    """One column of a table part: its heading and the kind of answer each of its cells takes.

    ``width`` is relative (a column of width 3 is three times as wide as one of width 1)."""

    id: Id
    """Short id of the column. Names its cells in the PDF (`<part>-r<row>-<column>`): keep it when you change the heading."""
    label: Title
    """The column heading, like `Hours`. Screen readers say it with the row number for every cell ("Row 3, Hours")."""
    type: TableCellType = "text"
    """What each cell takes: `text` (the default), `date`, `time`, `number` or `choice` (pick one of `options`)."""
    options: list[Title] = []
    """For `choice`: the answers to pick from."""
    width: int = Field(default=1, ge=1, le=6)
    """How wide the column is compared with the others (1 to 6; 1 if left out)."""

    @model_validator(mode="after")
    def _options(self) -> "TableColumn":
        if (self.type == "choice") != bool(self.options):
            raise ValueError("a 'choice' column needs 'options', and only a 'choice' column takes them")
        return self


class TableCell(Model):
    """A cell written in advance (shown as text instead of a box to fill)."""

    column: Id
    """Id of the column this text goes in."""
    text: Text
    """The text of the cell."""


class TableRow(Model):
    """A row of a table part, in its place: cells written in advance (e.g. an objective), or
    none for a blank row that must come before rows written in advance."""

    id: Id
    """Short id of the row (its anchor)."""
    cells: list[TableCell] = []
    """The cells written in advance; the other cells of the row stay blank to fill in. Leave out for a blank row."""


class Table(Model):
    """A grid to fill in: numbered rows, each column with its own answer type.

    Rows are the ``rows`` listed in the file, in order (some cells written in advance, or none),
    followed by ``blank_rows`` empty ones. Every empty cell is a form field named after its row and column
    (``Row 3, Hours``). The first column numbers the rows under the heading ``row_label``.
    ``blank_rows`` is a layout setting: choose it so the sheet keeps its page count."""

    row_label: Title
    """Heading of the row-number column and the word before each row number, like `Row` (spoken as "Row 3, Hours")."""
    columns: list[TableColumn] = Field(min_length=1, max_length=9)
    """The columns after the row number, 1 to 9 of them."""
    rows: list[TableRow] = []
    """Rows with cells written in advance (optional), shown first."""
    blank_rows: int = Field(default=0, ge=0, le=40)
    """How many empty rows follow (0 to 40). A layout setting: pick the number that fits the page."""

    @model_validator(mode="after")
    def _rows(self) -> "Table":
        _require_unique([c.id for c in self.columns], "columns")
        _require_unique([r.id for r in self.rows], "rows")
        if not self.rows and not self.blank_rows:
            raise ValueError("a table needs 'rows' or 'blank_rows' (at least one row)")
        known = {c.id for c in self.columns}
        for row in self.rows:
            _require_unique([c.column for c in row.cells], f"rows.{row.id}.cells")
            for cell in row.cells:
                if cell.column not in known:
                    raise ValueError(
                        f"row '{row.id}' fills column '{cell.column}', which is not one of the columns "
                        f"({', '.join(sorted(known))}) — fix the spelling"
                    )
        return self

    def row_count(self) -> int:
        """Number of rows shown (written + blank)."""
        return len(self.rows) + self.blank_rows

    def preset(self, row_number: int) -> dict[str, str]:
        """Column id -> text written in advance for row ``row_number`` (1-based); ``{}`` for a blank row."""
        if row_number <= len(self.rows):
            return {c.column: c.text for c in self.rows[row_number - 1].cells}
        return {}


class FormPart(Model):
    """A part of a worksheet or form: ``fields``, a ``rating`` grid or a ``table`` (exactly one).

    ``columns: 2`` (up to 4) lays short fields out side by side (used for headers and totals). ``repeat: N`` shows
    the part's fields N times, numbered with ``repeat_label`` ("Station 1", "Station 2", …):
    the Career Day Passport is a worksheet with one repeated station block, so a repeated group
    of fields is a stretch of the form part, not a new kind."""

    id: Id
    """Short id of the part (its anchor)."""
    title: Title
    """Heading of the part."""
    instructions: Text | None = None
    """A sentence that tells how to fill in this part (optional)."""
    columns: int = Field(default=1, ge=1, le=4)
    """`2`, `3` or `4` puts short fields side by side (used for name/date headers and totals); 1 if left out. Phones show them one under another."""
    fields: list[FormField] = []
    """The fields to fill in. A part has either `fields` or `rating`."""
    rating: Rating | None = None
    """A rating grid. A part has exactly one of `fields`, `rating` or `table`."""
    table: Table | None = None
    """A grid of rows and columns to fill in (a log or a plan). A part has exactly one of `fields`, `rating` or `table`."""
    repeat: int = Field(default=1, ge=1, le=8)
    """Show the fields this many times (1 to 8; 1 if left out), each copy numbered with `repeat_label`."""
    repeat_label: Title | None = None
    """For `repeat`: the word before each copy's number, like `Station` (shown as "Station 2")."""

    @model_validator(mode="after")
    def _one_body(self) -> "FormPart":
        if sum(map(bool, (self.fields, self.rating, self.table))) != 1:
            raise ValueError("a part needs exactly one of 'fields', 'rating' or 'table'")
        if self.repeat > 1 and not (self.fields and self.repeat_label):
            raise ValueError("'repeat' works on a part with 'fields' and needs a 'repeat_label', like `Station`")
        return self

    def copies(self) -> list[tuple[int | None, str]]:
        """``(number, name_suffix)`` of each copy of the fields: ``[(None, "")]`` for a part
        shown once, ``[(1, "-1"), (2, "-2"), …]`` for a repeated part."""
        if self.repeat == 1:
            return [(None, "")]
        return [(n, f"-{n}") for n in range(1, self.repeat + 1)]


class Respondent(Model):
    """Who fills in an evaluation (teacher, coordinator, host)."""

    id: Id
    """Short id of the respondent, used in `roles`, like `teacher`."""
    label: Title
    """Who they are, like `Teacher`."""


class _FormBase(ResourceBase):
    parts: list[FormPart] = Field(min_length=1)
    """The parts of the form, in order."""

    def _check_form_ids(self) -> None:
        _require_unique([p.id for p in self.parts], "parts")
        ids = [f.id for p in self.parts for f in p.fields]
        ids += [i.id for p in self.parts if p.rating for i in p.rating.items]
        ids += [r.id for p in self.parts if p.table for r in p.table.rows]
        _require_unique(ids, "parts[*].fields / rating items / table rows")


class Worksheet(_FormBase):
    """A worksheet students fill in (e.g. the Research Activity)."""

    kind: Literal["worksheet"]
    """Always `worksheet`."""

    @model_validator(mode="after")
    def _ids(self) -> "Worksheet":
        self._check_form_ids()
        return self


class Reflection(_FormBase):
    """A reflection form: header fields, writing prompts and a skills self-check."""

    kind: Literal["reflection"]
    """Always `reflection`."""

    @model_validator(mode="after")
    def _ids(self) -> "Reflection":
        self._check_form_ids()
        return self


class Evaluation(_FormBase):
    """An evaluation form answered by several ``respondents``; rated items and fields may be
    limited to some of them with ``roles``.

    A supervisor's evaluation of a student is the same kind with one respondent: its rating
    groups (one per competency) are several parts with a ``rating`` each, and rows to write in
    skills from a training plan are ``blank_rows`` of a rating — so no separate kind."""

    kind: Literal["evaluation"]
    """Always `evaluation`."""
    respondents: list[Respondent] = Field(min_length=1)
    """Who fills in this form; `roles` name their ids."""

    @model_validator(mode="after")
    def _ids(self) -> "Evaluation":
        self._check_form_ids()
        known = {r.id for r in self.respondents}
        for p in self.parts:
            roles = [r for f in p.fields for r in f.roles]
            roles += [r for i in (p.rating.items if p.rating else []) for r in i.roles]
            for role in roles:
                if role not in known:
                    raise ValueError(
                        f"part '{p.id}' names role '{role}', which is not one of the respondents "
                        f"({', '.join(sorted(known))}) — fix the spelling or add the respondent"
                    )
        return self


class Party(Model):
    """One party to an agreement: its duties and its signature block.

    The signature block (``signature``: e.g. printed name, signature, date) is kept whole on
    one page in print."""

    id: Id
    """Short id of the party, like `student` (its anchor; names its signature fields)."""
    title: Title
    """Heading of the party's section, like `The student`."""
    duties_lead: Text | None = None
    """A sentence before the duties, like `The student agrees to:` (optional)."""
    duties: list[Text] = Field(min_length=1)
    """What this party agrees to do, one entry each."""
    signature: list[FormField] = Field(min_length=1, max_length=4)
    """The signature block: fields such as printed name (`text`), signature (`signature`) and date (`date`). Labels are what screen readers say, so name the party: `Signature of the student`."""

    @model_validator(mode="after")
    def _signs(self) -> "Party":
        if not any(f.type == "signature" for f in self.signature):
            raise ValueError(f"party '{self.id}': the signature block needs a field of 'type: signature'")
        return self


class Terms(Model):
    """The fixed terms of an agreement: a heading and its points."""

    id: Id
    """Short id of the terms section (its anchor)."""
    title: Title
    """Heading, like `Terms of the agreement`."""
    points: list[Text] = Field(min_length=1)
    """The terms, one entry each."""


class Agreement(_FormBase):
    """An agreement several parties sign: the details (``parts``: names, dates, hours …), the
    fixed ``terms``, then for each party its duties and a signature block.

    A new kind rather than a stretched form: the terms and the parties' duties are text to
    read, not fields, and each party's signature block has a print rule of its own (never
    split across pages). Its detail fields reuse the form parts of every other form."""

    kind: Literal["agreement"]
    """Always `agreement`."""
    terms: Terms
    """The fixed terms, shown after the details."""
    parties: list[Party] = Field(min_length=2, max_length=6)
    """Who signs, in order (2 to 6), each with duties and a signature block."""

    @model_validator(mode="after")
    def _ids(self) -> "Agreement":
        self._check_form_ids()
        _require_unique([p.id for p in self.parts] + [self.terms.id] + [p.id for p in self.parties], "parts / terms / parties")
        names = [f.id for p in self.parts for f in p.fields] + [f.id for party in self.parties for f in party.signature]
        _require_unique(names, "parts[*].fields / parties[*].signature")
        return self


class Log(_FormBase):
    """A one-page log: header fields, one ``table`` part of identical rows to fill in, then
    totals and a sign-off (more parts).

    A new kind rather than a worksheet because it promises something a worksheet does not:
    exactly one printed page (``max_pages: 1``) and exactly one table, whose ``blank_rows``
    is the layout setting that keeps it on that page; a student prints as many copies as
    needed and carries the totals forward."""

    kind: Literal["log"]
    """Always `log`."""

    @model_validator(mode="after")
    def _ids(self) -> "Log":
        self._check_form_ids()
        tables = [p for p in self.parts if p.table]
        if len(tables) != 1:
            raise ValueError(f"a log has exactly one part with a 'table' (this one has {len(tables)})")
        if self.max_pages != 1:
            raise ValueError("a log prints on one page: set 'max_pages: 1' and choose 'blank_rows' to fit")
        return self


class Plan(_FormBase):
    """A plan laid out as a grid: header fields, a ``table`` part whose rows are objectives
    (some written in the file, the rest blank) and whose columns each have their own answer
    type, then a sign-off.

    A new kind rather than a worksheet: its core is the grid (at least one table part), it is
    filled in by two people together and reviewed over time (status columns), and readers
    look for it as a plan."""

    kind: Literal["plan"]
    """Always `plan`."""

    @model_validator(mode="after")
    def _ids(self) -> "Plan":
        self._check_form_ids()
        if not any(p.table for p in self.parts):
            raise ValueError("a plan needs a part with a 'table' (its grid of objectives)")
        return self


Resource = Union[Checklist, TipSheet, FactSheet, Worksheet, Reflection, Evaluation, Agreement, Log, Plan]

#: ``kind`` value -> model class. Adding a kind means adding a class here and a partial template
#: ``macros/templates/partials/<kind>.html``.
RESOURCE_KINDS: dict[str, type[ResourceBase]] = {
    "checklist": Checklist,
    "tip-sheet": TipSheet,
    "fact-sheet": FactSheet,
    "worksheet": Worksheet,
    "reflection": Reflection,
    "evaluation": Evaluation,
    "agreement": Agreement,
    "log": Log,
    "plan": Plan,
}

#: Human names of the kinds, as shown on pages ("Checklist", "Tip sheet", …).
KIND_LABELS: dict[str, str] = {
    "checklist": "Checklist",
    "tip-sheet": "Tip sheet",
    "fact-sheet": "Fact sheet",
    "worksheet": "Worksheet",
    "reflection": "Reflection form",
    "evaluation": "Evaluation form",
    "agreement": "Agreement",
    "log": "Log",
    "plan": "Plan",
}


def _check_former_ids(own_id: str, former: list[str]) -> None:
    """A former id may not be the current id, nor be listed twice.

    Raises:
        ValueError: naming the offending id. (Former ids that collide with *another* file's
            current id are a cross-file check: :func:`macros.loader.load_toolkit`.)
    """
    if own_id in former:
        raise ValueError(f"'former_ids' lists '{own_id}', the current id — list only ids used before a rename")
    _require_unique(former, "former_ids")


def _require_unique(ids: list[str], where: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"id '{i}' is used twice in {where} — every id must be unique")
        seen.add(i)
