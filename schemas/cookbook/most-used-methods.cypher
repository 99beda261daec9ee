// name: most-used-methods
// description: Methods used or proposed by the most papers.
// params: limit=20
// expect: rows
MATCH (p:Paper)-[:USES|PROPOSES]->(m:Method)
RETURN m.name AS method, count(DISTINCT p) AS papers, m.aliases AS aliases
ORDER BY papers DESC, method
LIMIT $limit
