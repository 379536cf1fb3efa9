"""Phenomenon indicators: registry, computation, aggregation, suppression, views and export.

The flow: :mod:`registry` reads the indicator definitions (``ontology/indicators.ttl``) and
:mod:`areas` the regional hierarchy from the store; :mod:`compute` runs each indicator's query
from ``queries/indicators/`` per regional level and applies its aggregation rule;
:mod:`suppression` hides small counts and their complementary cells; :mod:`enrich` adds the
national figure, the change from the previous period and the rank; :mod:`service` caches all of
it per data version; :mod:`views` assembles the three views and :mod:`export` writes them as
JSON, CSV or Excel.
"""
