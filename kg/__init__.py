"""kg: a citation/link knowledge-graph builder for research-paper abstracts.

The command line (`kg ...`) is a thin skin over this package:
``kg.sources.read_papers`` reads papers, ``kg.extract.Extractor`` finds mentions with evidence,
``kg.graph.build_graph`` resolves them into one networkx graph, and ``kg.sinks`` write it.
"""

__version__ = "0.1.0"
