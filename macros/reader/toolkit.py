"""The loaded content: :class:`Toolkit` (one language edition) and :func:`site_url`, the address
it is published at (``$TOOLKIT_SITE_URL`` or ``site.yml``)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path


from macros import i18n
from macros import model as m
from macros.reader.problems import ContentError, Problem


@dataclass
class Toolkit:
    """All validated content.

    Attributes:
        root: the project root (the folder holding ``content/``).
        site: ``content/site.yml``.
        activities: activity id -> :class:`~macros.model.Activity`, in continuum order.
        resources: resource id -> resource model, in toolkit order (activity by activity,
            group by group, as the activities list them).
        sources: content id -> file path relative to ``root`` (for messages and caching).
        language: the language of this edition's words (``en`` for the loaded content).
        editions: the other languages' editions (``{"es": Toolkit}``), same ids and order;
            each has ``stale``: content id (``site`` for site.yml) -> keys whose English
            changed since they were translated; ``fallback``: content id -> keys shown in
            English because they have no translation yet; ``reports``: content id ->
            :class:`~macros.i18n.Report` (counts for the translation status report);
            ``orphans``: translation files whose English file is gone.
        warnings: problems that do not stop the build (missing, stale and unknown
            translations, glossary misses).
    """

    root: Path
    site: m.SiteContent
    activities: dict[str, m.Activity]
    resources: dict[str, m.ResourceBase]
    sources: dict[str, str]
    language: str = "en"
    editions: dict[str, "Toolkit"] = field(default_factory=dict)
    stale: dict[str, list[str]] = field(default_factory=dict)
    fallback: dict[str, list[str]] = field(default_factory=dict)
    reports: dict[str, "i18n.Report"] = field(default_factory=dict)
    orphans: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def edition(self, language: str) -> "Toolkit":
        """The toolkit in ``language`` (``"en"``: this one). Raises KeyError if there is no
        such edition."""
        return self if language == self.language else self.editions[language]

    def activities_using(self, resource_id: str) -> list[m.Activity]:
        """Activities whose Tools and Materials list ``resource_id`` (continuum order)."""
        return [a for a in self.activities.values() if resource_id in a.resource_ids]

    def resources_for(self, audience_id: str) -> list[m.ResourceBase]:
        """Resources written for ``audience_id``, in toolkit order."""
        return [r for r in self.resources.values() if audience_id in r.audiences]


def site_url(toolkit: "Toolkit") -> str:
    """The URL this edition of the site is published at: ``$TOOLKIT_SITE_URL`` if set, else
    ``site_url`` from ``content/site.yml``, plus ``<lang>/`` for a translated edition
    (``…/es/``); always ends in ``/``."""
    url = os.environ.get("TOOLKIT_SITE_URL") or toolkit.site.site_url
    url = url if url.endswith("/") else url + "/"
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", url):
        raise ContentError([Problem("TOOLKIT_SITE_URL", 0, 0, "", f"'{url}' is not a web address — use the form https://host/path/")])
    return url if toolkit.language == i18n.LANGUAGES[0] else f"{url}{toolkit.language}/"
