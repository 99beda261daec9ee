// name: results-for-dataset
// description: The results table for one dataset: value, metric, method and paper, best first.
// params: dataset=ImageNet, limit=50
// expect: rows
MATCH (d:Dataset)
WHERE toLower(d.name) = toLower($dataset) OR toLower($dataset) IN [a IN d.aliases | toLower(a)]
MATCH (r:Result)-[:ON_DATASET]->(d)
MATCH (p:Paper)-[e:REPORTS]->(r)
OPTIONAL MATCH (r)-[:MEASURED_BY]->(metric:Metric)
OPTIONAL MATCH (r)-[:ACHIEVED_BY]->(method:Method)
RETURN r.value AS value, r.raw AS raw, metric.name AS metric, method.name AS method, p.title AS paper,
       e.sentence AS evidence
ORDER BY metric, value DESC
LIMIT $limit
