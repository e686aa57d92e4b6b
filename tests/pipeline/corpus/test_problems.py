import pytest

from pipeline.corpus.problems import KINDS, MAX_LISTED, Problems


def test_problems_counts_stay_exact_beyond_the_listed_locations():
    problems = Problems()
    for line in range(1, MAX_LISTED + 6):
        problems.add("empty", "big.txt", line)
    assert problems.counts["empty"] == MAX_LISTED + 5
    assert len(problems.where["empty"]) == MAX_LISTED and problems.where["empty"][0] == "big.txt:1"
    merged = Problems().merge(problems).merge(problems)
    assert merged.counts["empty"] == 2 * (MAX_LISTED + 5) and len(merged.where["empty"]) == MAX_LISTED


def test_problems_round_trip_and_unknown_kind():
    problems = Problems()
    problems.add("bad_json", "x.jsonl", 2)
    problems.add("binary", "y.txt")
    again = Problems.from_dict(problems.to_dict())
    assert again.to_dict() == problems.to_dict() and set(problems.to_dict()["counts"]) == set(KINDS)
    with pytest.raises(ValueError, match="unknown problem kind 'oops'"):
        problems.add("oops", "z.txt")
