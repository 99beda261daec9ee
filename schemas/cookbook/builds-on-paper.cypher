// name: builds-on-paper
// description: Papers that build on a given paper (use what it proposes), and through which entities.
// params: title=Visual Genome, limit=50
// expect: any
MATCH (source:Paper)
WHERE toLower(source.title) CONTAINS toLower($title)
MATCH (p:Paper)-[b:BUILDS_ON]->(source)
RETURN source.title AS builds_on, p.title AS paper, b.via AS via
ORDER BY paper
LIMIT $limit
