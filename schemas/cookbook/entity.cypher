// name: entity
// description: One entity by name or alias: its kind, aliases and the papers that propose or use it.
// params: name=CLIP
// expect: rows
MATCH (x)
WHERE (x:Method OR x:Dataset OR x:Metric OR x:Task)
  AND (toLower(x.name) = toLower($name) OR toLower($name) IN [a IN x.aliases | toLower(a)])
OPTIONAL MATCH (p:Paper)-[e]->(x)
RETURN labels(x)[0] AS kind, x.name AS name, x.aliases AS aliases, type(e) AS relation, p.title AS paper
ORDER BY relation, paper
