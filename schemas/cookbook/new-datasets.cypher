// name: new-datasets
// description: Datasets and benchmarks the corpus introduces, with the paper and its code.
// params: limit=50
// expect: rows
MATCH (p:Paper)-[e:PROPOSES]->(d:Dataset)
OPTIONAL MATCH (p)-[:HAS_CODE]->(r:Repository)
RETURN d.name AS dataset, p.title AS paper, p.date AS date, collect(r.url) AS code, e.sentence AS evidence
ORDER BY dataset
LIMIT $limit
