"""The quality gate: SHACL shapes, OWL consistency, regression guard and coverage reports.

``kgservice check`` (:mod:`kgservice.validation.check`) parses the sources
(:mod:`~kgservice.validation.sources`), runs the shapes (:mod:`~kgservice.validation.shacl`) and
the reasoner (:mod:`~kgservice.validation.reasoner`), compares against a git baseline
(:mod:`~kgservice.validation.baseline`), measures coverage (:mod:`~kgservice.validation.coverage`)
and prints the findings (:mod:`~kgservice.validation.report`).
"""
