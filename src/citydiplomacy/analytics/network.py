"""Network analytics of the twinning network with igraph (pure: no database).

`network_stats(graph_input)` takes node ids with their name and country and undirected edges,
and answers one JSON-ready dict: nodes, edges, components, largest_component_share, clustering
(global transitivity, as KONECT reports it), degree assortativity, degree distribution, top
cities by degree, betweenness and PageRank, communities (Leiden, modularity) with their
dominant countries, and — for each focus node — its ranks and neighbourhood.

Betweenness is exact up to EXACT_BETWEENNESS_MAX_NODES nodes; above that it is estimated from
a seeded sample of BETWEENNESS_SAMPLE source nodes (Brandes & Pich), scaled to the whole graph,
and the answer says so (`betweenness_method`).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field

import igraph as ig

EXACT_BETWEENNESS_MAX_NODES = 5000
BETWEENNESS_SAMPLE = 1000
TOP = 10
LEIDEN_ITERATIONS = 4


@dataclass
class GraphInput:
    """ids[i] is the node's external id (LocalGovernment id); edges are pairs of external ids."""

    ids: list[int]
    names: dict[int, str]
    countries: dict[int, str]
    edges: list[tuple[int, int]]
    meta: dict = field(default_factory=dict)


def build_graph(data: GraphInput) -> tuple[ig.Graph, list[int]]:
    """An igraph Graph over the nodes that have at least one tie; loops and duplicates dropped."""
    pairs = {(min(a, b), max(a, b)) for a, b in data.edges if a != b}
    used = sorted({n for pair in pairs for n in pair})
    index = {node: i for i, node in enumerate(used)}
    graph = ig.Graph(n=len(used), edges=[(index[a], index[b]) for a, b in sorted(pairs)])
    return graph, used


def _clean(value: float | None) -> float | int | None:
    if isinstance(value, int):
        return value
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return None
    return round(float(value), 6)


def _top(values, ids, data: GraphInput, degrees, top: int) -> list[dict]:
    order = sorted(range(len(values)), key=lambda i: (-values[i], data.names.get(ids[i], ""), ids[i]))
    return [{"id": ids[i], "name": data.names.get(ids[i], ""), "country": data.countries.get(ids[i], ""),
             "value": _clean(values[i]), "degree": degrees[i]} for i in order[:top]]


def betweenness(graph: ig.Graph, *, exact_max: int = EXACT_BETWEENNESS_MAX_NODES,
                sample: int = BETWEENNESS_SAMPLE, seed: int = 1) -> tuple[list[float], str]:
    """Undirected betweenness (each pair counted once): exact, or estimated from a sample."""
    n = graph.vcount()
    if n <= exact_max:
        return list(graph.betweenness(directed=False)), "exact"
    sources = sorted(random.Random(seed).sample(range(n), sample))
    # With every node as a source, igraph's subset betweenness equals the full (undirected)
    # betweenness; with a uniform sample of k sources it is unbiased after scaling by n / k.
    partial = graph.betweenness(directed=False, sources=sources, targets=None)
    scale = n / sample
    return [value * scale for value in partial], f"sampled ({sample} sources, seed {seed})"


def network_stats(data: GraphInput, *, focus_ids=(), top: int = TOP,
                  seed: int = 1, exact_betweenness_max: int = EXACT_BETWEENNESS_MAX_NODES) -> dict:
    graph, ids = build_graph(data)
    n, m = graph.vcount(), graph.ecount()
    result: dict = {"nodes": n, "edges": m, **data.meta}
    if n == 0:
        result.update(components=0, largest_component_share=0.0, clustering=None,
                      average_clustering=None, assortativity=None, density=0.0, mean_degree=0.0,
                      degree_distribution={}, top_degree=[], top_betweenness=[], top_pagerank=[],
                      communities=[], community_count=0, modularity=None,
                      betweenness_method="exact", focus={})
        return result
    degrees = graph.degree()
    components = graph.connected_components()
    sizes = components.sizes()
    between, method = betweenness(graph, exact_max=exact_betweenness_max, seed=seed)
    pagerank = graph.pagerank(directed=False)
    # A seeded Python RNG makes the communities reproducible; it slows every igraph call that
    # draws random numbers, so it is set for the Leiden run only and then given back.
    ig.set_random_number_generator(random.Random(seed))
    try:
        communities = graph.community_leiden(objective_function="modularity", n_iterations=LEIDEN_ITERATIONS)
    finally:
        ig.set_random_number_generator(None)
    membership = communities.membership
    by_community: dict[int, list[int]] = {}
    for vertex, community in enumerate(membership):
        by_community.setdefault(community, []).append(vertex)
    community_rows = []
    for community, members in sorted(by_community.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        countries = Counter(data.countries.get(ids[v], "") or "?" for v in members)
        hubs = sorted(members, key=lambda v: (-degrees[v], ids[v]))[:3]
        community_rows.append({
            "id": len(community_rows) + 1, "size": len(members),
            "dominant_countries": [{"country": c, "nodes": k, "share": round(k / len(members), 4)}
                                   for c, k in countries.most_common(3)],
            "hubs": [data.names.get(ids[v], "") for v in hubs],
        })
    distribution = Counter(degrees)
    result.update(
        components=len(sizes),
        largest_component_share=round(max(sizes) / n, 6),
        clustering=_clean(graph.transitivity_undirected()),
        average_clustering=_clean(graph.transitivity_avglocal_undirected(mode="zero")),
        assortativity=_clean(graph.assortativity_degree(directed=False)),
        density=_clean(2 * m / (n * (n - 1))) if n > 1 else 0.0,
        mean_degree=_clean(2 * m / n),
        max_degree=max(degrees),
        degree_distribution={str(k): distribution[k] for k in sorted(distribution)},
        top_degree=_top(degrees, ids, data, degrees, top),
        top_betweenness=_top(between, ids, data, degrees, top),
        top_pagerank=_top(pagerank, ids, data, degrees, top),
        betweenness_method=method,
        communities=community_rows[:top],
        community_count=len(community_rows),
        modularity=_clean(graph.modularity(membership)),
    )
    result["focus"] = {str(f): _focus(f, graph, ids, data, degrees, between, pagerank, membership,
                                      components.membership) for f in focus_ids}
    return result


def _rank(values, i) -> int:
    return 1 + sum(1 for v in values if v > values[i])


def _focus(focus, graph, ids, data, degrees, between, pagerank, membership,
           component_of) -> dict:
    try:
        i = ids.index(focus)
    except ValueError:
        return {"id": focus, "name": data.names.get(focus, ""), "degree": 0, "in_network": False}
    # community ids in community_rows are renumbered by size; map the raw membership id
    raw_sizes = Counter(membership)
    order = sorted(raw_sizes, key=lambda c: (-raw_sizes[c], c))
    community_number = order.index(membership[i]) + 1
    neighbours = sorted(graph.neighbors(i), key=lambda v: (-degrees[v], data.names.get(ids[v], "")))
    second = set()
    for v in neighbours:
        second.update(graph.neighbors(v))
    second -= set(neighbours) | {i}
    largest = Counter(component_of).most_common(1)[0][0]
    return {
        "id": focus, "name": data.names.get(focus, ""), "in_network": True,
        "degree": degrees[i], "degree_rank": _rank(degrees, i),
        "betweenness": _clean(between[i]), "betweenness_rank": _rank(between, i),
        "pagerank": _clean(pagerank[i]), "pagerank_rank": _rank(pagerank, i),
        "clustering": _clean(graph.transitivity_local_undirected([i], mode="zero")[0]),
        "community": community_number, "in_largest_component": component_of[i] == largest,
        "neighbours": [{"id": ids[v], "name": data.names.get(ids[v], ""),
                        "country": data.countries.get(ids[v], ""), "degree": degrees[v]}
                       for v in neighbours],
        "neighbour_countries": Counter(data.countries.get(ids[v], "") or "?"
                                       for v in neighbours).most_common(),
        "second_neighbours": len(second),
    }
