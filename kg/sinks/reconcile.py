"""Make a graph about to be loaded agree with what the database already holds.

Loading corpus B into a database that holds corpus A must give what one build of A+B gives. Keys
make most of that automatic (MERGE), but two things can be keyed apart by separate builds:

- a paper A knew by its title and B knows by its arXiv id (or DOI, OpenAlex or S2 id);
- an entity A keyed by its long form ("Foo Object Operator") because A never saw its
  abbreviation, which B defines ("FOO").

For each such pair the better key wins, as in a single build: for papers the id-based key
(arXiv, then DOI, OpenAlex, S2, then title); for entities the shorter key (the abbreviation).
An incoming node is renamed to the winning key; an existing node is merged into it in the
database (its relationships moved, then it is deleted). After the load, `derive` recomputes
what depends on the whole database: paper counts, BUILDS_ON, and citations of corpus papers.
"""

from __future__ import annotations

from collections import defaultdict

import neo4j
import networkx as nx

from kg.graph.build import NAMED_LABELS
from kg.graph.validate import node_label
from kg.resolve.entities import long_key
from kg.resolve.keys import title_key
from kg.schema import Schema
from kg.sinks.cypher import quote_name

_PAPER_KEY_RANK = ("paper:arxiv:", "paper:doi:", "paper:openalex:", "paper:s2:")


def _paper_rank(key: str) -> int:
    return next((i for i, prefix in enumerate(_PAPER_KEY_RANK) if key.startswith(prefix)), len(_PAPER_KEY_RANK))


def _paper_identities(data: dict) -> set[str]:
    ids = {f"{k}:{data[k]}" for k in ("arxiv_id", "doi", "openalex_id", "s2_id") if data.get(k)}
    if data.get("title"):
        ids.add(f"title:{title_key(str(data['title']))}")
    return ids


def _entity_names(key: str, data: dict) -> set[str]:
    """The identities one entity node is known by: its key, and its multi-word names (long forms).

    Single-word aliases do not count: an acronym may be shared by two different things."""
    names = {key.split(":", 1)[1]}
    for surface in [data.get("name", ""), *(data.get("aliases", []) or [])]:
        if len(str(surface).split()) > 1:
            names.add(long_key(str(surface)))
    return {n for n in names if n}


class Reconciler:
    def __init__(self, driver: neo4j.Driver, database: str | None, schema: Schema):
        self.driver = driver
        self.database = database
        self.schema = schema

    def _read(self, query: str, **params: object) -> list[neo4j.Record]:
        records, _, _ = self.driver.execute_query(query, parameters_=params, database_=self.database,
                                                  routing_=neo4j.RoutingControl.READ)
        return records

    def reconcile(self, graph: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, int]:
        """The graph with keys agreeing with the database; returns it and the database merges done."""
        renames: dict[str, str] = {}
        merges: list[tuple[str, str, str]] = []  # (label, existing key, winning key)
        self._papers(graph, renames, merges)
        for label in NAMED_LABELS:
            self._entities(graph, label, renames, merges)
        for label, old, new in merges:
            self.merge_node(label, old, new)
        if renames:
            graph = nx.relabel_nodes(graph, renames, copy=True)
            for new in renames.values():
                graph.nodes[new]["key"] = new
        return graph, len(merges)

    def _papers(self, graph: nx.MultiDiGraph, renames: dict[str, str], merges: list) -> None:
        existing: dict[str, str] = {}
        for r in self._read("MATCH (p:Paper) RETURN p.key AS key, p.arxiv_id AS arxiv_id, p.doi AS doi, "
                            "p.openalex_id AS openalex_id, p.s2_id AS s2_id, p.title AS title"):
            for identity in _paper_identities(dict(r)):
                existing.setdefault(identity, r["key"])
        for node, data in list(graph.nodes(data=True)):
            if node_label(data) != "Paper":
                continue
            matches = {existing[i] for i in _paper_identities(data) if i in existing} - {node}
            for other in sorted(matches):
                if _paper_rank(node) < _paper_rank(other):
                    merges.append(("Paper", other, node))
                else:
                    renames[node] = other

    def _entities(self, graph: nx.MultiDiGraph, label: str, renames: dict[str, str], merges: list) -> None:
        by_name: dict[str, set[str]] = defaultdict(set)
        for r in self._read(f"MATCH (n:{quote_name(self.schema.check_label(label))}) "
                            "RETURN n.key AS key, n.name AS name, n.aliases AS aliases"):
            for name in _entity_names(r["key"], dict(r)):
                by_name[name].add(r["key"])
        for node, data in list(graph.nodes(data=True)):
            if node_label(data) != label:
                continue
            matches = set().union(*(by_name.get(n, set()) for n in _entity_names(node, data))) - {node}
            for other in sorted(matches):
                if (len(node), node) < (len(other), other):
                    merges.append((label, other, node))
                else:
                    renames[node] = other

    def merge_node(self, label: str, old: str, new: str) -> None:
        """Move every relationship of node `old` onto node `new` (created if needed), then delete `old`."""
        lab = quote_name(self.schema.check_label(label))
        statements = [f"MATCH (o:{lab} {{key: $old}}) MERGE (n:{lab} {{key: $new}}) "
                      "SET n.aliases = coalesce(n.aliases, []) + [a IN coalesce(o.aliases, []) + [o.name] "
                      "WHERE a IS NOT NULL AND NOT a IN coalesce(n.aliases, [])]"]
        for rel in self.schema.relationship_types:
            r = quote_name(rel)
            statements.append(f"MATCH (o:{lab} {{key: $old}})<-[r:{r}]-(s) MATCH (n:{lab} {{key: $new}}) "
                              f"WHERE s <> n MERGE (s)-[m:{r}]->(n) SET m += properties(r) DELETE r")
            statements.append(f"MATCH (o:{lab} {{key: $old}})-[r:{r}]->(t) MATCH (n:{lab} {{key: $new}}) "
                              f"WHERE t <> n MERGE (n)-[m:{r}]->(t) SET m += properties(r) DELETE r")
        statements.append(f"MATCH (o:{lab} {{key: $old}}) DETACH DELETE o")
        with self.driver.session(database=self.database) as session:
            def work(tx: neo4j.ManagedTransaction) -> None:
                for statement in statements:
                    tx.run(statement, old=old, new=new).consume()

            session.execute_write(work)

    def derive(self) -> None:
        """Recompute what depends on the whole database after a load."""
        statements = []
        for label in self.schema.labels:
            if label in ("Paper", "Result"):
                continue
            lab = quote_name(self.schema.check_label(label))
            statements.append(f"MATCH (n:{lab}) OPTIONAL MATCH (p:Paper)-->(n) "
                              "WITH n, count(DISTINCT p) AS c SET n.paper_count = c")
        # One index seek per citation (Paper.arxiv_id / doi are indexed), never citations x papers.
        for prop, prefix in (("arxiv_id", "cite:arxiv:"), ("doi", "cite:doi:")):
            statements.append(f"MATCH (c:Citation) WHERE c.key STARTS WITH '{prefix}' "
                              f"MATCH (p:Paper {{{prop}: substring(c.key, {len(prefix)})}}) "
                              "MATCH (q:Paper)-[r:CITES]->(c) WHERE q <> p "
                              "MERGE (q)-[m:CITES]->(p) SET m += properties(r) DELETE r")
        statements.append("MATCH (c:Citation) WHERE NOT (c)<-[:CITES]-() DETACH DELETE c")
        statements.append("MATCH ()-[b:BUILDS_ON]->() DELETE b")
        entity = " OR ".join(f"e:{quote_name(label)}" for label in NAMED_LABELS)
        statements.append(
            f"MATCH (b:Paper)-[:PROPOSES]->(e) WHERE {entity} "
            "WITH e, b ORDER BY coalesce(b.date, '9999'), b.key "
            "WITH e, collect(b) AS claimants SET e.proposed_by = [c IN claimants | c.key] "
            "WITH e, claimants[0] AS origin "
            "MATCH (a:Paper)-[:USES|EVALUATES_ON|MEASURES|ADDRESSES]->(e) WHERE a <> origin "
            "WITH a, origin, collect(DISTINCT e.name) AS via "
            "MERGE (a)-[r:BUILDS_ON]->(origin) SET r.via = via")
        with self.driver.session(database=self.database) as session:
            for statement in statements:
                session.execute_write(lambda tx, s: tx.run(s).consume(), statement)  # passed on by the driver
