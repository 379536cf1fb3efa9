"""The lift: source rows → normalised rows (quarantine) → RDF by the declarative mappings.

:mod:`.regions` indexes the region code lists, :mod:`.cube` normalises a statistical table per
its spec (``mappings/sources/*.toml``) and quarantines bad rows (:mod:`.quarantine` reports them),
:mod:`.variables` names its statistical variables, and :mod:`.engine` runs the CONSTRUCT
templates of ``mappings/`` over the rows. Nothing here touches the store being built.
"""
