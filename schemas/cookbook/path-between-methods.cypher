// name: path-between-methods
// description: Shortest chain of papers and entities linking two methods.
// params: from=CLIP, to=BERT
// expect: rows
MATCH (a:Method), (b:Method)
WHERE toLower(a.name) = toLower($from) AND toLower(b.name) = toLower($to)
MATCH path = shortestPath((a)-[*..8]-(b))
RETURN [n IN nodes(path) | coalesce(n.name, n.title, n.key)] AS chain, length(path) AS hops
