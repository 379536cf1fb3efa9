# Purpose: Instantiates IC-20/IC-21 (templates over qb:parentChildProperty in the Rec), step 1:
# every qb:hierarchyRoot of a qb:HierarchicalCodeList is reachable in that list.
# Writes helper triples <list> icx:reaches <node> into the private in-memory COPY only.
PREFIX qb:  <http://purl.org/linked-data/cube#>
PREFIX icx: <https://rake-kg.example/ontology/datacube-ic#>

INSERT { ?list icx:reaches ?root }
WHERE { ?list a qb:HierarchicalCodeList ; qb:hierarchyRoot ?root . }
