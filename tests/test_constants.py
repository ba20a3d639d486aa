"""The package's constants are read-only: a page cannot change what the next one sees."""

import pytest

import lecturelib as ll


@pytest.mark.parametrize("name", ["PYTORCH_NOTES", "COLORS"])
def test_mapping_constants_are_read_only(name):
    mapping = getattr(ll, name)
    key = next(iter(mapping))
    with pytest.raises(TypeError):
        mapping[key] = "changed"
    with pytest.raises(TypeError):
        mapping["new"] = "added"
