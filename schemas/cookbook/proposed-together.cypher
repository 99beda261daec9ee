// name: proposed-together
// description: Methods and datasets introduced by the same paper.
// params: limit=50
// expect: rows
MATCH (p:Paper)-[:PROPOSES]->(m:Method), (p)-[:PROPOSES]->(d:Dataset)
RETURN p.title AS paper, collect(DISTINCT m.name) AS methods, collect(DISTINCT d.name) AS datasets
ORDER BY paper
LIMIT $limit
