"""The descriptions the paper's seed gives the positions Table I lists but Table II profiles not
(data.TABLE_I_ONLY_POSITIONS) say where they come from, and propose no level. Observed: the
suggestion engine read 'Listed in Table I (Research and development, Master) as "e-commerce
system architect".' as a job advert, "development", "Master" and "architect" as Bloom verbs, and
proposed level M for every requirement suggested for the position (the Chinese one, 数据分析类's
分析, proposed R for the data modeler). The track, the degree and Table I's wording are the
position's placements; its description no longer repeats them in words the level reader takes
for a doing. (An engine rule would not do: a track's name, "Data analysis" or 研发, is the same
words an advert uses for the doing.)"""

import pytest

from curricula.paper import data, data_zh
from suggestions.engine.outcomes import bloom_verbs
from suggestions.levels import propose_requirement_level


@pytest.mark.parametrize(
    ("number", "name", "source_ref", "description"), data.TABLE_I_ONLY_POSITIONS
)
def test_a_table_i_only_position_s_description_proposes_no_level(
    number, name, source_ref, description
):
    described = [description, data_zh.POSITION_DESCRIPTIONS[name]]
    assert [bloom_verbs(text) for text in described] == [(), ()]
    terms = ["e-commerce", "system", "data", "research", "development", "analysis", "数据"]
    assert propose_requirement_level(lines=described, matched_terms=terms) is None
    assert "Table I" in description
    assert "表一" in data_zh.POSITION_DESCRIPTIONS[name]
