// name: tasks-overview
// description: Tasks by the number of papers working on them, with their most used datasets.
// params: limit=20
// expect: rows
MATCH (p:Paper)-[:ADDRESSES|PROPOSES]->(t:Task)
WITH t, collect(DISTINCT p) AS papers
OPTIONAL MATCH (q:Paper)-[:EVALUATES_ON]->(d:Dataset) WHERE q IN papers
WITH t, size(papers) AS paper_count, d.name AS dataset, count(q) AS uses
ORDER BY uses DESC
WITH t, paper_count, [x IN collect(dataset) WHERE x IS NOT NULL][..3] AS datasets
RETURN t.name AS task, paper_count AS papers, datasets
ORDER BY papers DESC, task
LIMIT $limit
