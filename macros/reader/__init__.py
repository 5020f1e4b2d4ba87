"""Reading and validating ``content/``: the one loader and its parts.

* :mod:`macros.reader.yaml_reader` – one file, read as an editor means it, with positions
* :mod:`macros.reader.validate`    – into a typed model, with editor-facing messages
* :mod:`macros.reader.checks`      – checks across files (ids, references, links, anchors)
* :mod:`macros.reader.translation` – translation files and the glossary, applied per language
* :mod:`macros.reader.problems`    – :class:`Problem` and :class:`ContentError`
* :mod:`macros.reader.toolkit`     – :class:`Toolkit`, the loaded content, and its site URL

:func:`macros.loader.load_toolkit` puts them together; it is the only entry point.
"""
