"""Releases of the vocabularies and what changed between two versions (issue 17).

:mod:`.snapshot` reads a version (a release under ``releases/``, a git revision of ``ontology/``
or Turtle files) into concept records; :mod:`.diff` compares two of them with set operations;
:mod:`.render` writes the result as Markdown, JSON, Excel or a W3C/Talis ChangeSet graph;
:mod:`.record` freezes a release; :mod:`.changelog` checks that a release note is complete.
"""
