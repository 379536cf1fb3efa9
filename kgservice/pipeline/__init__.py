"""The build: sources → lift (:mod:`kgservice.mappings`) → validate → fresh store → atomic swap.

The orchestration only: the step protocol (:mod:`.steps`), the steps (:mod:`.build`, :mod:`.lift`,
:mod:`.sosmeta`), the store directories (:mod:`.swap`) and the summary (:mod:`.summary`)."""
