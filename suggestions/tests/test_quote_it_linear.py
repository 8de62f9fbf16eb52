"""Observed: quoting a text as written (`analyse(..., as_written=True)`, how the engine reads a
course for its suggestions' explanations) spliced one more place into its lists of written
places at each "IT" (read as "ICT"), moving every place after it: a description of 64,000
characters naming IT often took 0.3 s, 256,000 3.2 s, a megabyte 55 s. The places are now
built in one pass, each copied once."""

from collections.abc import Sequence

from suggestions.engine.text import _read_as_ict, analyse


class CountedPlaces(Sequence):
    """Places that count how many of them are read, and cannot be changed."""

    def __init__(self, places):
        self.places = tuple(places)
        self.read = 0

    def __len__(self):
        return len(self.places)

    def __getitem__(self, index):
        got = self.places[index]
        self.read += len(got) if isinstance(index, slice) else 1
        return list(got) if isinstance(index, slice) else got


def test_each_it_takes_three_places_from_its_i_to_its_t():
    nfkc = "IT and IT"
    starts, ends = _read_as_ict(tuple(range(9)), tuple(range(1, 10)), nfkc)
    assert starts == [0, 0, 0, 2, 3, 4, 5, 6, 7, 7, 7]
    assert ends == [2, 2, 2, 3, 4, 5, 6, 7, 9, 9, 9]


def test_the_places_are_read_not_spliced():
    # Tuples cannot be spliced: splicing a place in at each IT moved every place after it.
    starts, ends = _read_as_ict((0, 1, 3, 4), (1, 3, 4, 6), "IT x")
    assert (starts, ends) == ([0, 0, 0, 3, 4], [3, 3, 3, 4, 6])


def test_each_place_is_read_about_once_however_many_its():
    nfkc = "IT é " * 10_000
    starts, ends = CountedPlaces(range(len(nfkc))), CountedPlaces(range(1, len(nfkc) + 1))
    read_starts, read_ends = _read_as_ict(starts, ends, nfkc)
    assert len(read_starts) == len(read_ends) == len(nfkc) + 10_000
    # Each place once, and the I (or T) of each IT once more.
    assert starts.read <= len(nfkc) + 10_000
    assert ends.read <= len(nfkc) + 10_000


def test_terms_of_a_text_naming_it_often_are_quoted_as_written():
    text = "Café IT support, " * 2_000 + "IT Security"
    surfaces: dict[str, set[str]] = {}
    for term in analyse(text, as_written=True):
        surfaces.setdefault(term.key, set()).add(term.surface)
    assert surfaces["ict"] == {"IT"}
    assert surfaces["support"] == {"support"}
    assert surfaces["cafe ict"] == {"Café IT"}
    assert surfaces["ict support"] == {"IT support"}
    assert surfaces["ict secur"] == {"IT Security"}
