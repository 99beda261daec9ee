"""The graph: build it from extractions, validate it against the schema."""

from kg.graph.build import build_graph
from kg.graph.validate import validate_graph

__all__ = ["build_graph", "validate_graph"]
