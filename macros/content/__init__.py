"""Reading and validating ``content/``: the one loader and its parts.

* :mod:`macros.content.yaml_reader` – one file, read as an editor means it, with positions
* :mod:`macros.content.validate`    – into a typed model, with editor-facing messages
* :mod:`macros.content.checks`      – checks across files (ids, references, links, anchors)
* :mod:`macros.content.translation` – translation files and the glossary, applied per language
* :mod:`macros.content.problems`    – :class:`Problem` and :class:`ContentError`
* :mod:`macros.content.toolkit`     – :class:`Toolkit`, the loaded content, and its site URL

:func:`macros.loader.load_toolkit` puts them together; it is the only entry point.
"""
