# Purpose: W3C RDF Data Cube normalisation, phase 2 "push down attachment levels" (spec 11.2):
# copies data-set and slice level components onto each observation.
# Spec: https://www.w3.org/TR/vocab-data-cube/#normalize-algorithm
# Upstream: UKGovLD/publishing-statistical-data src/main/resources/flatten.ru (unchanged body,
# including the upstream's commented-out measure-property attachment rule).
# Run after closure.ru on a private in-memory COPY of the data.
PREFIX qb:             <http://purl.org/linked-data/cube#>

# Dataset attachments
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp ;
             qb:componentAttachment qb:DataSet .
    ?dataset qb:structure [qb:component ?spec];
             ?comp ?value .
    ?obs     qb:dataSet ?dataset.
};

# Slice attachments
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp;
             qb:componentAttachment qb:Slice .
    ?dataset qb:structure [qb:component ?spec];
             qb:slice ?slice .
    ?slice ?comp ?value;
           qb:observation ?obs .
};

# Dimension values on slices
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp .
    ?comp a  qb:DimensionProperty .
    ?dataset qb:structure [qb:component ?spec];
             qb:slice ?slice .
    ?slice ?comp ?value;
           qb:observation ?obs .
};

# Measure property attachments
#INSERT {
#    ?obs  ?comp ?value
#} WHERE {
#    ?spec  qb:componentProperty ?comp ;
#           qb:componentAttachment qb:MeasureProperty .
#    ?dataset qb:structure [qb:component ?spec] .
#    ?comp    a qb:AttributeProperty .
#    ?measure a qb:MeasureProperty;
#             ?comp ?value .
#    ?obs     qb:dataSet ?dataset;
#             ?measure [] .
#}
