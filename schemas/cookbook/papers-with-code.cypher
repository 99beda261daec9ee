// name: papers-with-code
// description: Papers with their official code repositories, newest first.
// params: limit=50
// expect: rows
MATCH (p:Paper)-[c:HAS_CODE]->(r:Repository)
WHERE c.official
RETURN p.title AS paper, p.date AS date, r.url AS repository
ORDER BY date DESC, paper
LIMIT $limit
