# Purpose: Instantiates IC-20/IC-21, step 2 (repeated until it adds nothing): a child of a
# reachable node, along the list's own qb:parentChildProperty (a property p, or a blank node
# [ owl:inverseOf p ] whose children are the subjects of p), is reachable too.
# Writes helper triples <list> icx:reaches <node> into the private in-memory COPY only.
PREFIX qb:  <http://purl.org/linked-data/cube#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX icx: <https://rake-kg.example/ontology/datacube-ic#>

INSERT { ?list icx:reaches ?child }
WHERE {
  {
    ?list qb:parentChildProperty ?p ; icx:reaches ?node .
    FILTER ( isIRI(?p) )
    ?node ?p ?child .
  } UNION {
    ?list qb:parentChildProperty ?pcp ; icx:reaches ?node .
    FILTER ( isBlank(?pcp) )
    ?pcp owl:inverseOf ?p .
    ?child ?p ?node .
  }
  FILTER NOT EXISTS { ?list icx:reaches ?child }
}
