"""Network statistics against an independent brute-force computation on a small graph,
and the `network-stats` command on a small database network."""

from __future__ import annotations

import io
import itertools
import json
from collections import deque

import pytest
from django.core.management import call_command

from citydiplomacy.analytics.network import GraphInput, betweenness, build_graph, network_stats

# Two triangles joined by a path, a square with a tail, and an isolated pair; a duplicate and
# a loop that must be ignored.
EDGES = [(1, 2), (2, 3), (1, 3), (3, 4), (4, 5), (5, 6), (6, 7), (5, 7),
         (10, 11), (11, 12), (12, 13), (13, 10), (13, 14),
         (20, 21), (2, 1), (4, 4)]
COUNTRIES = {1: "TR", 2: "TR", 3: "TR", 4: "DE", 5: "NL", 6: "NL", 7: "NL", 10: "FR", 11: "FR",
             12: "FR", 13: "IT", 14: "IT", 20: "JP", 21: "CN"}


def graph_input():
    return GraphInput(ids=sorted(COUNTRIES), names={k: f"city{k}" for k in COUNTRIES},
                      countries=COUNTRIES, edges=EDGES)


# --- brute force ---------------------------------------------------------------------------
def adjacency():
    adj = {n: set() for n in COUNTRIES}
    for a, b in EDGES:
        if a != b:
            adj[a].add(b)
            adj[b].add(a)
    return adj


def bf_components(adj):
    seen, sizes = set(), []
    for start in adj:
        if start in seen:
            continue
        stack, size = [start], 0
        seen.add(start)
        while stack:
            node = stack.pop()
            size += 1
            for nxt in adj[node] - seen:
                seen.add(nxt)
                stack.append(nxt)
        sizes.append(size)
    return sizes


def bf_transitivity(adj):
    triangles = sum(1 for a, b, c in itertools.combinations(adj, 3)
                    if b in adj[a] and c in adj[a] and c in adj[b])
    triples = sum(len(adj[n]) * (len(adj[n]) - 1) / 2 for n in adj)
    return 3 * triangles / triples


def bf_assortativity(adj):
    # Pearson correlation of the degrees at either end of every edge (each edge both ways).
    xs, ys = [], []
    for a in adj:
        for b in adj[a]:
            xs.append(len(adj[a]))
            ys.append(len(adj[b]))
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / n
    vx = sum((x - mx) ** 2 for x in xs) / n
    vy = sum((y - my) ** 2 for y in ys) / n
    return cov / (vx * vy) ** 0.5


def bf_shortest_paths(adj, s, t):
    """Every shortest path from s to t, by breadth-first enumeration."""
    paths, queue, best = [], deque([[s]]), None
    while queue:
        path = queue.popleft()
        if best is not None and len(path) > best:
            break
        node = path[-1]
        if node == t:
            best = len(path)
            paths.append(path)
            continue
        for nxt in adj[node]:
            if nxt not in path:
                queue.append(path + [nxt])
    return paths


def bf_betweenness(adj):
    result = {n: 0.0 for n in adj}
    for s, t in itertools.combinations(adj, 2):
        paths = bf_shortest_paths(adj, s, t)
        for path in paths:
            for node in path[1:-1]:
                result[node] += 1 / len(paths)
    return result


# --- tests ---------------------------------------------------------------------------------
def test_stats_match_brute_force():
    adj = adjacency()
    stats = network_stats(graph_input(), focus_ids=[3, 99])
    sizes = bf_components(adj)
    assert stats["nodes"] == 14
    assert stats["edges"] == 14  # 16 listed: one duplicate, one loop
    assert stats["components"] == len(sizes) == 3
    assert stats["largest_component_share"] == pytest.approx(max(sizes) / 14, abs=1e-6)
    assert stats["clustering"] == pytest.approx(bf_transitivity(adj), abs=1e-6)
    assert stats["assortativity"] == pytest.approx(bf_assortativity(adj), abs=1e-6)
    degrees = {n: len(adj[n]) for n in adj}
    assert stats["degree_distribution"] == {
        str(d): sum(1 for v in degrees.values() if v == d) for d in sorted(set(degrees.values()))}
    # degree 3: cities 3, 5 and 13, ties broken by name
    assert [row["id"] for row in stats["top_degree"][:3]] == [13, 3, 5]
    assert stats["top_degree"][0]["value"] == 3
    bf = bf_betweenness(adj)
    top = max(bf, key=lambda n: (bf[n], -n))
    assert stats["top_betweenness"][0]["id"] == top
    for row in stats["top_betweenness"]:
        assert row["value"] == pytest.approx(bf[row["id"]], abs=1e-6)
    assert stats["betweenness_method"] == "exact"
    # communities cover every node; the dominant country of the French square is FR
    assert sum(c["size"] for c in stats["communities"]) == 14
    french = [c for c in stats["communities"] if "city10" in c["hubs"] or "city13" in c["hubs"]]
    assert french and french[0]["dominant_countries"][0]["country"] == "FR"
    focus = stats["focus"]["3"]
    assert focus["degree"] == 3 and focus["degree_rank"] == 1
    assert {n["id"] for n in focus["neighbours"]} == {1, 2, 4}
    assert focus["in_largest_component"] is True
    assert stats["focus"]["99"]["in_network"] is False


def test_sampled_betweenness_is_unbiased_with_every_source():
    graph, _ids = build_graph(graph_input())
    exact, _ = betweenness(graph)
    sampled, method = betweenness(graph, exact_max=0, sample=graph.vcount())
    assert method.startswith("sampled")
    assert sampled == pytest.approx(exact)


def test_empty_network():
    stats = network_stats(GraphInput(ids=[], names={}, countries={}, edges=[]))
    assert stats["nodes"] == 0 and stats["components"] == 0


@pytest.mark.django_db
def test_network_stats_command_json(tmp_path, settings):
    from citydiplomacy.governments.models import LocalGovernment
    from citydiplomacy.places.models import ReportedTie

    settings.VAR_DIR = tmp_path
    lgs = {k: LocalGovernment.objects.create(name=f"city{k}", country_code=c) for k, c in COUNTRIES.items()}
    for a, b in EDGES:
        if a != b:
            low, high = sorted((lgs[a].pk, lgs[b].pk))
            ReportedTie.objects.get_or_create(low_id=low, high_id=high, source="test")
    out = io.StringIO()
    call_command("network-stats", "--format", "json", stdout=out)
    stats = json.loads(out.getvalue())
    for key in ("nodes", "edges", "components", "largest_component_share", "clustering",
                "assortativity", "top_degree", "top_betweenness", "communities"):
        assert key in stats
    adj = adjacency()
    assert (stats["nodes"], stats["edges"], stats["components"]) == (14, 14, 3)
    assert stats["clustering"] == pytest.approx(bf_transitivity(adj), abs=1e-6)
    assert stats["assortativity"] == pytest.approx(bf_assortativity(adj), abs=1e-6)
    assert stats["top_degree"][0]["name"] == "city13"
    # the command stored its result; a second run answers from it (same fingerprint)
    from citydiplomacy.core import stored_results

    computed_at = stored_results.held("network")["computed_at"]
    text = io.StringIO()
    call_command("network-stats", stdout=text)
    assert "clustering" in text.getvalue()
    assert stored_results.held("network")["computed_at"] == computed_at
