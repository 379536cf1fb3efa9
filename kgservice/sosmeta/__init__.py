"""Sosmeta document structures and client documents.

The flow: a Sosmeta JSON Schema download (:mod:`.schema`) becomes ontology data
(:mod:`.model_rdf`, :mod:`.importer`); SHACL is generated from that ontology data
(:mod:`.shapes`) and compiled to a fast per-document checker (:mod:`.checker`) used by
``kgservice validate`` (:mod:`.validate`). Client documents are pseudonymised (:mod:`.pseudonym`)
and lifted into private named graphs (:mod:`.lift`); only suppressed aggregates
(:mod:`.aggregate`) are published. :mod:`.synth` makes synthetic documents, :mod:`.diff` compares
two versions of a structure.
"""
