# Purpose: W3C RDF Data Cube normalisation, phase 1 "type and property closure" (spec 11.2):
# adds the rdf:type and qb:componentProperty triples that abbreviated cubes leave implicit.
# Spec: https://www.w3.org/TR/vocab-data-cube/#normalize-algorithm
# Upstream: UKGovLD/publishing-statistical-data src/main/resources/closure.ru (unchanged body).
# Run on a private in-memory COPY of the data (kgservice.validation.datacube), never on the store.
PREFIX rdf:            <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX qb:             <http://purl.org/linked-data/cube#>

# Insert optional type statements
INSERT {
    ?o rdf:type qb:Observation .
} WHERE {
    [] qb:observation ?o .
};

INSERT {
    ?o  rdf:type qb:Observation .
    ?ds rdf:type qb:DataSet .
} WHERE {
    ?o qb:dataSet ?ds .
};

INSERT {
    ?s rdf:type qb:Slice .
} WHERE {
    [] qb:slice ?s.
};

INSERT {
    ?sk rdf:type qb:SliceKey .
} WHERE {
    [] qb:sliceStructure ?sk .
};

INSERT {
    ?cs qb:componentProperty ?p .
    ?p  rdf:type qb:DimensionProperty .
} WHERE {
    ?cs qb:dimension ?p .
};

INSERT {
    ?cs qb:componentProperty ?p .
    ?p  rdf:type qb:MeasureProperty .
} WHERE {
    ?cs qb:measure ?p .
};

INSERT {
    ?cs qb:componentProperty ?p .
    ?p  rdf:type qb:AttributeProperty .
} WHERE {
    ?cs qb:attribute ?p .
}
