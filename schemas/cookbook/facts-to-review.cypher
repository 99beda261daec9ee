// name: facts-to-review
// description: The least certain facts (lowest confidence), with their evidence, for a human to check.
// params: below=0.7, limit=50
// expect: rows
MATCH (p:Paper)-[e]->(x)
WHERE e.confidence < $below
RETURN e.confidence AS confidence, type(e) AS relation, coalesce(x.name, x.url, x.raw) AS what, e.rule AS rule,
       e.sentence AS sentence, p.title AS paper
ORDER BY confidence, paper
LIMIT $limit
