// name: top-metrics
// description: Metrics by the number of papers reporting them.
// params: limit=20
// expect: rows
MATCH (p:Paper)-[:MEASURES|PROPOSES]->(m:Metric)
RETURN m.name AS metric, count(DISTINCT p) AS papers
ORDER BY papers DESC, metric
LIMIT $limit
