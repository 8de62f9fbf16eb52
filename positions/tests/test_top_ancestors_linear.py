"""Observed: finding each item's top-level ancestor walked every item of a chain hanging from
nothing the tree says is top-level (a CASE package's items below an item another framework
already has) to the chain's end, again for each item: 10,000 such items took an import 4 s,
40,000 took 73 s. Each node is now walked once. Plain Python: run with `-p no:django` too."""

from collections.abc import Mapping

from positions.importers.areas import top_ancestors


class CountedParents(Mapping):
    """Parents that count how often one is read."""

    def __init__(self, parents):
        self.parents = dict(parents)
        self.reads = 0

    def __getitem__(self, node):
        self.reads += 1
        return self.parents[node]

    def __contains__(self, node):
        self.reads += 1
        return node in self.parents

    def __iter__(self):
        return iter(self.parents)

    def __len__(self):
        return len(self.parents)


def test_a_chain_hanging_from_nothing_is_read_once():
    n = 2_000
    parents = CountedParents({i: i + 1 for i in range(n)})  # n is no node
    assert top_ancestors(parents) == {}
    assert parents.reads <= 8 * n  # each node's parent read a few times, not the whole chain


def test_a_rooted_chain_is_read_once_and_each_node_has_its_top():
    n = 2_000
    parents = CountedParents({**{i: i + 1 for i in range(n)}, n: None})
    assert top_ancestors(parents) == dict.fromkeys(range(n + 1), n)
    assert parents.reads <= 8 * n


def test_tops_and_hanging_branches_side_by_side():
    parents = {"a": None, "b": "a", "c": "b", "x": "gone", "y": "x", "z": "y", "w": "x"}
    assert top_ancestors(parents) == {"a": "a", "b": "a", "c": "a"}
