// name: most-cited
// description: The works cited inline most often (author-year, arXiv ids, DOIs).
// params: limit=20
// expect: rows
MATCH (p:Paper)-[:CITES]->(c)
RETURN coalesce(c.text, c.title) AS cited, count(DISTINCT p) AS papers
ORDER BY papers DESC, cited
LIMIT $limit
