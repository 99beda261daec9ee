// name: papers-sharing-a-repo
// description: Repositories linked from more than one paper, with the papers.
// params: limit=20
// expect: any
MATCH (p:Paper)-[:HAS_CODE]->(r:Repository)
WITH r, collect(p.title) AS papers
WHERE size(papers) > 1
RETURN r.url AS repository, size(papers) AS paper_count, papers
ORDER BY paper_count DESC, repository
LIMIT $limit
