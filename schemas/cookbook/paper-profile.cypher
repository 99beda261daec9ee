// name: paper-profile
// description: Everything kg read in one paper, with the rule and sentence behind each fact.
// params: title=StarVector
// expect: rows
MATCH (p:Paper)
WHERE toLower(p.title) CONTAINS toLower($title)
MATCH (p)-[e]->(x)
RETURN p.title AS paper, type(e) AS relation, labels(x)[0] AS kind,
       coalesce(x.name, x.url, x.raw, x.text, x.title) AS what, e.rule AS rule, e.confidence AS confidence,
       e.sentence AS sentence
ORDER BY paper, relation, what
