"""Translations: the words of the content in other languages, kept in step with the English.

Layout: ``content/translations/<lang>/site.yml``, ``.../activities/<id>.yml`` and
``.../resources/<id>.yml``, one per English file. Each translation file looks like::

    language: es
    id: informational-interview-student-checklist      # the English file it translates
    texts:
      title:
        en: "Student Informational Interview Checklist"   # the English it was made from
        es: "Lista de control del estudiante …"
      phases.before.items.pick-a-career.text:
        en: "Pick a career you want to learn about. …"
        es: "Elige una carrera …"

Keys name each text by **ids**, not positions (``phases.<phase-id>.items.<item-id>.text``);
lists of plain texts (paragraphs, points, options) are numbered from 1
(``introduction.1``).

English is the source and always publishes. A translation is

* **missing** when a key of the English has no entry, or an empty one (a new item, a new
  resource with no translation file yet): the translated edition shows the English text,
  as a :class:`Fallback` string that the renderer marks ``lang="en"``, the page and PDF carry
  a notice, and the build warns;
* **stale** when its ``en`` differs from the current English: the build warns and the page
  shows a notice until a translator updates ``es`` and copies the new English into ``en``;
* **unknown** when the English no longer has that key: the build warns, and
  ``python -m macros translations`` removes the entry.

Only titles, labels and text are translated; ids, kinds, dates, colours and addresses are
shared. UI words that are not content ("Download PDF", month names) are in :data:`UI`.
"""
from __future__ import annotations

import datetime as _dt
import typing
from dataclasses import dataclass, field
from typing import Any, Iterator

from pydantic import BaseModel

from macros import model as m

#: Languages the site is published in, the first being the source language.
LANGUAGES = ("en", "es")

#: Names of the languages in English, for messages to editors.
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}

#: Interface words of the pages and PDFs, by language. Content words live in content/.
UI: dict[str, dict[str, str]] = {
    "en": {
        "type": "Type", "for": "For", "revised": "Revised", "download_pdf": "Download PDF",
        "download_note": "US Letter, print-ready", "download_note_form": "US Letter, print-ready; fill it in on paper or on screen",
        "related": "Related", "activity": "Activity", "stage_on_continuum": "Stage on the WBL continuum",
        "tools_and_materials": "Tools and Materials", "complete_set": "Download the complete set (PDF)",
        "complete_set_note": "Every resource below in one print-ready file, with a contents page",
        "activities": "Activities", "resources_for_you": "Resources for you", "how_to_use": "How to use this toolkit",
        "questions_contact": "Questions? Contact the {office} at {email}.",
        "other_format": "Need a page or PDF in another format or language? See {link}.",
        "toolkit_available": "toolkit available", "at_any_stage": "At any stage",
        "continuum_link_text": "How the activities fit together, from career awareness to hands-on work.",
        "page_word": "Page", "of_word": "of", "latest_online": "Latest version online:",
        "toolkit_online": "This toolkit online:", "contents": "Contents",
        "complete_set_cover": "Complete set of tools and materials", "questions": "Questions",
        "filled_in_by": "Filled in by: {who}. Skip any item marked for another role.",
        "only_roles": "({roles} only)", "statement": "Statement", "yes": "Yes", "no": "No",
        "qr_title": "QR code linking to {url}", "stale_notice": "",
        "rating_how": "(rate {scale})", "rating_how_or": "(rate {scale} or {other})",
        "standard": "The standard we follow", "how_we_check": "How we check",
        "other_formats": "Another format or language", "contact": "Contact",
        "language_name": "English", "keyword": "work-based learning",
        "role_title": "For {plural}", "roles_nav": "Resources for you", "other_roles": "Resources for other roles",
        "role_intro_one": "1 resource in this toolkit is written for {plural}, listed by activity. Each one has a web page and a print-ready PDF.",
        "role_intro_many": "{n} resources in this toolkit are written for {plural}, listed by activity. Each one has a web page and a print-ready PDF.",
        "role_none": "No resources in this toolkit are written for {plural} yet. See the {home} for every activity.",
        "home_page": "home page", "home": "Home", "overview": "Overview",
        "not_found_title": "Page not found",
        "not_found_text": "No page of this toolkit is at this address. It may have a typo, or the page may have moved. Addresses here are all in lowercase letters.",
        "not_found_next": "Search for what you need above, or go to the {home}.",
        "stale_heading": "", "stage_word": "Stage",
        "fallback_heading": "", "fallback_notice": "", "fallback_notice_print": "",
        "moved_title": "Moved: {title}", "moved_heading": "This page has moved",
        "moved_text": "{title} has a new address: {link}. Please update your bookmarks and links.",
        "moved_pdf": "Its PDF is now at {link}.", "moved_packet": "Its packet of every resource (PDF) is now at {link}.",
        "moved_home": "{name} home", "date_placeholder": "MM/DD/YYYY",
        "answers_note": "What you type here is kept only in this browser on this device, so you can come back to it. Nothing is sent anywhere.",
        "answers_download": "Download my filled-in PDF", "answers_print": "Print my answers", "answers_erase": "Erase my answers",
        "answers_flatten": "Lock my answers in the PDF so they cannot be changed (for sending a final copy)",
        "answers_restored": "Your saved answers are back.", "answers_saving": "Your answers are saved on this device as you type.",
        "answers_erase_confirm": "Erase every answer on this page from this device?", "answers_erased": "Your answers were erased from this device.",
        "answers_no_storage": "This browser cannot keep your answers (private mode or storage turned off). Download your filled-in PDF before you leave.",
        "answers_storage_full": "This device has no room left to keep answers for websites, so your latest answers are not kept here. Download your filled-in PDF before you leave.",
        "answers_working": "Making your PDF…", "answers_done": "Your filled-in PDF is downloaded.",
        "answers_failed": "Sorry, your filled-in PDF could not be made. You can print your answers instead.",
        "answers_cut": "These answers are longer than their box on paper, so the PDF cuts them short: {answers}. Shorten them, or print your answers from this page.",
        "answers_replaced": "Some letters or symbols are in none of the PDF's typefaces and show as “?” in it: to keep them, print your answers from this page.",
        "answers_font_missing": "Some letters show as “?” in the PDF because their typeface could not be loaded (are you offline?): download it again when you are online, or print your answers from this page.",
        "offline_ready": "Available offline: this toolkit now opens without a connection.",
        "offline_update": "A new version of the toolkit is available.", "offline_reload": "Reload",
        "permalink_title": "Permanent link",
    },
    "es": {
        "type": "Tipo", "for": "Para", "revised": "Revisado", "download_pdf": "Descargar PDF",
        "download_note": "Tamaño carta, listo para imprimir", "download_note_form": "Tamaño carta, listo para imprimir; complételo en papel o en pantalla",
        "related": "Relacionado", "activity": "Actividad", "stage_on_continuum": "Etapa en el continuo de aprendizaje basado en el trabajo",
        "tools_and_materials": "Herramientas y materiales", "complete_set": "Descargar el conjunto completo (PDF)",
        "complete_set_note": "Todos los recursos de abajo en un solo archivo listo para imprimir, con índice",
        "activities": "Actividades", "resources_for_you": "Recursos para usted", "how_to_use": "Cómo usar este kit de herramientas",
        "questions_contact": "¿Preguntas? Comuníquese con la {office} en {email}.",
        "other_format": "¿Necesita una página o un PDF en otro formato o idioma? Consulte {link}.",
        "toolkit_available": "kit disponible", "at_any_stage": "En cualquier etapa",
        "continuum_link_text": "Cómo encajan las actividades, desde conocer carreras hasta el trabajo práctico.",
        "page_word": "Página", "of_word": "de", "latest_online": "Versión más reciente en línea:",
        "toolkit_online": "Este kit en línea:", "contents": "Índice",
        "complete_set_cover": "Conjunto completo de herramientas y materiales", "questions": "Preguntas",
        "filled_in_by": "Lo completan: {who}. Omita los puntos marcados para otra función.",
        "only_roles": "(solo {roles})", "statement": "Afirmación", "yes": "Sí", "no": "No",
        "qr_title": "Código QR que lleva a {url}",
        "rating_how": "(elija {scale})", "rating_how_or": "(elija {scale} o {other})",
        "stale_notice": "Parte de esta traducción puede no estar al día con la versión en inglés. Si tiene dudas, consulte la versión en inglés.",
        "standard": "La norma que seguimos", "how_we_check": "Cómo lo comprobamos",
        "other_formats": "Otro formato u otro idioma", "contact": "Contacto",
        "language_name": "Español", "keyword": "aprendizaje basado en el trabajo",
        "role_title": "Para {plural}", "roles_nav": "Recursos por función", "other_roles": "Recursos para otras funciones",
        "role_intro_one": "En este kit hay 1 recurso escrito para {plural}, ordenado por actividad. Tiene una página web y un PDF listo para imprimir.",
        "role_intro_many": "En este kit hay {n} recursos escritos para {plural}, ordenados por actividad. Cada uno tiene una página web y un PDF listo para imprimir.",
        "role_none": "Todavía no hay recursos en este kit escritos para {plural}. Consulte la {home} para ver todas las actividades.",
        "home_page": "página de inicio", "home": "Inicio", "overview": "Descripción general",
        "not_found_title": "Página no encontrada",
        "not_found_text": "No hay ninguna página de este kit en esta dirección. Puede que tenga un error o que la página se haya movido. Aquí todas las direcciones van en minúsculas.",
        "not_found_next": "Busque arriba lo que necesita o vaya a la {home}.",
        "stale_heading": "Traducción en revisión", "stage_word": "Etapa",
        "fallback_heading": "Traducción pendiente",
        "fallback_notice": "Parte de esta página aún no está traducida al español y se muestra en inglés. La traducción llegará pronto.",
        "fallback_notice_print": "Parte de este documento aún no está traducida al español y se muestra en inglés. La versión en línea se actualiza en cuanto llega la traducción.",
        "moved_title": "Nueva dirección: {title}", "moved_heading": "Esta página cambió de dirección",
        "moved_text": "{title} tiene una nueva dirección: {link}. Actualice sus marcadores y enlaces.",
        "moved_pdf": "Su PDF está ahora en {link}.", "moved_packet": "Su paquete con todos los recursos (PDF) está ahora en {link}.",
        "moved_home": "Inicio de {name}", "date_placeholder": "DD/MM/AAAA",
        "answers_note": "Lo que escriba aquí se guarda solo en este navegador, en este dispositivo, para que pueda volver. No se envía a ningún lugar.",
        "answers_download": "Descargar mi PDF completado", "answers_print": "Imprimir mis respuestas", "answers_erase": "Borrar mis respuestas",
        "answers_flatten": "Fijar mis respuestas en el PDF para que no se puedan cambiar (para enviar una copia final)",
        "answers_restored": "Sus respuestas guardadas están de vuelta.", "answers_saving": "Sus respuestas se guardan en este dispositivo mientras escribe.",
        "answers_erase_confirm": "¿Borrar de este dispositivo todas las respuestas de esta página?", "answers_erased": "Sus respuestas se borraron de este dispositivo.",
        "answers_no_storage": "Este navegador no puede guardar sus respuestas (modo privado o almacenamiento desactivado). Descargue su PDF completado antes de salir.",
        "answers_storage_full": "Este dispositivo no tiene más espacio para guardar respuestas de sitios web, así que sus últimas respuestas no se guardan aquí. Descargue su PDF completado antes de salir.",
        "answers_working": "Preparando su PDF…", "answers_done": "Su PDF completado se descargó.",
        "answers_failed": "Lo sentimos, no se pudo preparar su PDF completado. Puede imprimir sus respuestas.",
        "answers_cut": "Estas respuestas no caben en su casilla en papel y el PDF las corta: {answers}. Acórtelas o imprima sus respuestas desde esta página.",
        "answers_replaced": "Algunas letras o símbolos no están en ninguna tipografía del PDF y aparecen en él como «?»: para conservarlos, imprima sus respuestas desde esta página.",
        "answers_font_missing": "Algunas letras aparecen como «?» en el PDF porque no se pudo cargar su tipografía (¿está sin conexión?): descárguelo de nuevo cuando tenga conexión o imprima sus respuestas desde esta página.",
        "offline_ready": "Disponible sin conexión: este kit ahora se abre sin internet.",
        "offline_update": "Hay una nueva versión del kit.", "offline_reload": "Volver a cargar",
        "permalink_title": "Enlace permanente",
    },
}

#: Names of the kinds, by language.
KIND_LABELS: dict[str, dict[str, str]] = {
    "en": dict(m.KIND_LABELS),
    "es": {
        "checklist": "Lista de control", "tip-sheet": "Hoja de consejos", "fact-sheet": "Hoja informativa",
        "worksheet": "Hoja de trabajo", "reflection": "Formulario de reflexión", "evaluation": "Formulario de evaluación",
        "agreement": "Acuerdo", "log": "Registro", "plan": "Plan",
    },
}

#: The interface words that change for a reader spoken to informally, by language: a page or
#: PDF that speaks to an audience with ``address: informal`` (students, ``content/site.yml``;
#: :func:`informal`) uses these over :data:`UI`, which speaks formally (Spanish *usted*:
#: pages and PDFs only for adults). Languages with one way to say *you* have none. See :func:`ui`.
UI_INFORMAL: dict[str, dict[str, str]] = {
    "en": {},
    "es": {
        "download_note_form": "Tamaño carta, listo para imprimir; complétalo en papel o en pantalla",
        "resources_for_you": "Recursos para ti",
        "questions_contact": "¿Preguntas? Comunícate con la {office} en {email}.",
        "other_format": "¿Necesitas una página o un PDF en otro formato o idioma? Consulta {link}.",
        "moved_text": "{title} tiene una nueva dirección: {link}. Actualiza tus marcadores y enlaces.",
        "filled_in_by": "Lo completan: {who}. Omite los puntos marcados para otra función.",
        "rating_how": "(elige {scale})", "rating_how_or": "(elige {scale} o {other})",
        "stale_notice": "Parte de esta traducción puede no estar al día con la versión en inglés. Si tienes dudas, consulta la versión en inglés.",
        "role_none": "Todavía no hay recursos en este kit escritos para {plural}. Consulta la {home} para ver todas las actividades.",
        "not_found_next": "Busca arriba lo que necesitas o ve a la {home}.",
        "answers_note": "Lo que escribes aquí se guarda solo en este navegador, en este dispositivo, para que puedas volver. No se envía a ningún lugar.",
        "answers_restored": "Tus respuestas guardadas están de vuelta.", "answers_saving": "Tus respuestas se guardan en este dispositivo mientras escribes.",
        "answers_erased": "Tus respuestas se borraron de este dispositivo.",
        "answers_no_storage": "Este navegador no puede guardar tus respuestas (modo privado o almacenamiento desactivado). Descarga tu PDF completado antes de salir.",
        "answers_storage_full": "Este dispositivo no tiene más espacio para guardar respuestas de sitios web, así que tus últimas respuestas no se guardan aquí. Descarga tu PDF completado antes de salir.",
        "answers_working": "Preparando tu PDF…", "answers_done": "Tu PDF completado se descargó.",
        "answers_failed": "Lo sentimos, no se pudo preparar tu PDF completado. Puedes imprimir tus respuestas.",
        "answers_cut": "Estas respuestas no caben en su casilla en papel y el PDF las corta: {answers}. Acórtalas o imprime tus respuestas desde esta página.",
        "answers_replaced": "Algunas letras o símbolos no están en ninguna tipografía del PDF y aparecen en él como «?»: para conservarlos, imprime tus respuestas desde esta página.",
        "answers_font_missing": "Algunas letras aparecen como «?» en el PDF porque no se pudo cargar su tipografía (¿estás sin conexión?): descárgalo de nuevo cuando tengas conexión o imprime tus respuestas desde esta página.",
    },
}


#: Words of the site generator's theme that address the reader, where the theme's own
#: translation uses the other register (Material for MkDocs' ``partials/languages/es.html``
#: says *usted*, "Teclee …"): Material key -> words, by language and register. The site's
#: pages are for everyone, so they speak as :func:`informal` says; put into each edition's
#: configuration (``extra.toolkit_theme_words``, :mod:`macros.adapters.source`) and used by
#: ``overrides/partials/language.html`` before the theme's own words.
THEME_WORDS: dict[str, dict[str, dict[str, str]]] = {
    "es": {
        "informal": {"search.result.placeholder": "Escribe para empezar a buscar"},
        "formal": {},
    },
}


def theme_words(lang: str, informal: bool) -> dict[str, str]:
    """The theme's words to replace for a site in ``lang`` that speaks informally or not
    (:data:`THEME_WORDS`; empty where the theme's own are right)."""
    return THEME_WORDS.get(lang, {}).get("informal" if informal else "formal", {})


def ui(lang: str, informal: bool = False) -> dict[str, str]:
    """The interface words of ``lang`` (:data:`UI`), in the informal register when
    ``informal`` (:data:`UI_INFORMAL`).

    Raises:
        KeyError: ``lang`` is not a language of :data:`UI`.
    """
    words = UI[lang]
    return {**words, **UI_INFORMAL.get(lang, {})} if informal else words


def informal(site: "m.SiteContent", audiences=None) -> bool:
    """True if a page or PDF for ``audiences`` (audience ids; None: a page for everyone, such
    as the home page) speaks informally: one of them has ``address: informal`` in
    ``content/site.yml``. A page that speaks to students speaks to them as its content does
    (a time log for a student and the employer who signs it says *tú* to the student); only a
    page or PDF for adults alone is formal."""
    ids = [a.id for a in site.audiences] if audiences is None else list(audiences)
    return any(site.audience(a).address == "informal" for a in ids)


_MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre"]


def long_date(value: _dt.date, lang: str = "en") -> str:
    """A date as readers of ``lang`` write it: ``November 20, 2026`` / ``20 de noviembre de 2026``."""
    if lang == "es":
        return f"{value.day} de {_MONTHS_ES[value.month - 1]} de {value.year}"
    return f"{value:%B} {value.day}, {value.year}"


def _is_text(annotation: Any) -> bool:
    """True for Title/Text fields (translatable words), False for ids, colours, addresses…"""
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        return any(getattr(x, "func", None) in (m.check_inline_text, m.check_plain_title) for x in meta)
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_is_text(a) for a in typing.get_args(annotation) if a is not type(None))
    return False


def _list_item(annotation: Any) -> Any:
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0]
    return None


class Fallback(str):
    """A text shown in an edition whose language it is not in: the English words of a text
    that has no translation yet. It is an ordinary ``str`` (compares, hashes and formats as
    its words) that also knows its language, ``lang``; the renderer wraps every Fallback it
    prints in an element with ``lang="<lang>"`` (see :mod:`macros.render`). Operations that
    make a new string (``+``, ``.lower()``, ``.format()``) give a plain ``str``."""

    lang: str

    def __new__(cls, text: str, lang: str = "en") -> "Fallback":
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj

    def __reduce__(self):  # keep the language when pickled (PDF worker processes)
        return (Fallback, (str(self), self.lang))


@dataclass(frozen=True)
class Slot:
    """One translatable text: its ``key`` (``phases.before.items.pick-a-career.text``), where it
    sits in the model's ``model_dump()`` (``path``), and its English ``text``."""

    key: str
    path: tuple[Any, ...]
    text: str


def slots(obj: BaseModel) -> list[Slot]:
    """Every translatable text of a content model, in document order."""
    return list(_walk(obj, "", ()))


def _walk(obj: BaseModel, prefix: str, path: tuple) -> Iterator[Slot]:
    for name, info in type(obj).model_fields.items():
        value = getattr(obj, name)
        if value is None:
            continue
        key = f"{prefix}{name}"
        annotation = info.annotation
        inner = _list_item(annotation)
        if isinstance(value, BaseModel):
            yield from _walk(value, key + ".", path + (name,))
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for i, item in enumerate(value):
                label = getattr(item, "id", None) or str(i + 1)
                yield from _walk(item, f"{key}.{label}.", path + (name, i))
        elif isinstance(value, list) and inner is not None and _is_text(inner):
            for i, text in enumerate(value):
                yield Slot(f"{key}.{i + 1}", path + (name, i), text)
        elif isinstance(value, str) and (_is_text(annotation) or any(
            getattr(x, "func", None) in (m.check_inline_text, m.check_plain_title) for x in info.metadata
        )):
            yield Slot(key, path + (name,), value)


@dataclass
class Report:
    """What :func:`translate` found for one content file: ``total`` translatable texts in the
    English; keys ``missing`` in the translation (absent or empty: shown in English), keys
    ``unknown`` to the English (entries whose English is gone), keys whose English changed
    since translation (``stale``, still shown translated)."""

    total: int = 0
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    @property
    def translated(self) -> int:
        """Texts with a current translation (neither missing nor stale)."""
        return self.total - len(self.missing) - len(self.stale)


def translate(obj: BaseModel, texts: dict[str, dict[str, str]], lang: str) -> tuple[BaseModel, Report]:
    """The model ``obj`` with every translatable text replaced by ``texts[key][lang]``.

    ``texts`` maps keys to ``{"en": <English it was made from>, lang: <translation>}``.
    Missing keys (no entry, or an empty ``lang`` text) keep the English as a
    :class:`Fallback` and are reported; the result is validated again, so a translation obeys
    the same rules as the English (plain titles, allowed links …).

    Raises:
        pydantic.ValidationError: a translated text breaks a rule of the model.
    """
    report = Report()
    data = obj.model_dump()
    known = set()
    fallback_paths = []
    for slot in slots(obj):
        known.add(slot.key)
        report.total += 1
        entry = texts.get(slot.key)
        if not entry or not (entry.get(lang) or "").strip():
            report.missing.append(slot.key)
            fallback_paths.append(slot.path)
            continue
        if entry.get("en", "").strip() != slot.text.strip():
            report.stale.append(slot.key)
        target: Any = data
        for part in slot.path[:-1]:
            target = target[part]
        target[slot.path[-1]] = entry[lang]
    report.unknown = [k for k in texts if k not in known]
    translated = type(obj).model_validate(data)
    for path in fallback_paths:
        _mark_fallback(translated, path)
    return translated, report


def _mark_fallback(obj: BaseModel, path: tuple[Any, ...], lang: str = "en") -> None:
    """Replace the text at ``path`` (a :attr:`Slot.path`) inside the validated ``obj`` by a
    :class:`Fallback` of the same words. Validation gives plain ``str``; the models are frozen,
    so the value is set the way pydantic stores it (the instance ``__dict__``)."""
    parent: Any = obj
    for part in path[:-1]:
        parent = parent[part] if isinstance(part, int) else getattr(parent, part)
    last = path[-1]
    if isinstance(last, int):
        parent[last] = Fallback(parent[last], lang)
    else:
        object.__setattr__(parent, last, Fallback(getattr(parent, last), lang))


def has_fallback(obj: BaseModel) -> bool:
    """True when some text of ``obj`` is shown in another language (a :class:`Fallback`)."""
    return any(isinstance(s.text, Fallback) for s in slots(obj))


def skeleton(obj: BaseModel, lang: str, existing: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, str]]:
    """The ``texts`` mapping for a translation file of ``obj``: every key with the current
    English, keeping translations from ``existing`` (empty strings where there are none)."""
    existing = existing or {}
    out = {}
    for slot in slots(obj):
        old = existing.get(slot.key, {})
        out[slot.key] = {"en": old.get("en", slot.text) if old.get(lang) else slot.text, lang: old.get(lang, "")}
    return out
