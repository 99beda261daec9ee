// name: datasets-by-papers
// description: Datasets and benchmarks by the number of papers evaluating on them.
// params: limit=20
// expect: rows
MATCH (p:Paper)-[:EVALUATES_ON]->(d:Dataset)
RETURN d.name AS dataset, count(DISTINCT p) AS papers
ORDER BY papers DESC, dataset
LIMIT $limit
