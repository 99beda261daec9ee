// name: methods-used-together
// description: Pairs of methods that appear in the same papers most often.
// params: limit=20
// expect: rows
MATCH (m1:Method)<-[:USES|PROPOSES]-(p:Paper)-[:USES|PROPOSES]->(m2:Method)
WHERE m1.key < m2.key
RETURN m1.name AS method, m2.name AS with_method, count(DISTINCT p) AS papers
ORDER BY papers DESC, method, with_method
LIMIT $limit
