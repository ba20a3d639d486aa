"""Inputs that numpy would misread are refused with an error naming the argument.

Masked arrays (numpy.asarray drops the mask), timedelta64 values (numpy counts them as integers)
and objects whose ``__array__`` fails (a torch tensor that requires grad) used to be read as
plain numbers or to raise someone else's error. Array-likes, pandas Series included, are paired
by position, as the module documentation says.
"""

import numpy as np
import pytest

import lecturelib as ll
from lecturelib import landscapes, model, search, training

X = np.array([1.0, 2.0, 3.0])
Y = 2.0 * X


class RequiresGrad:
    """Stands in for a torch tensor with requires_grad=True: numpy cannot read it."""

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError(
            "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
        )


class Labelled:
    """An array-like with index labels (like a pandas Series): numpy reads only its values."""

    def __init__(self, values, index):
        self.values, self.index = np.asarray(values, dtype=float), list(index)

    def __array__(self, dtype=None, copy=None):
        return self.values if dtype is None else self.values.astype(dtype)


def test_masked_x_is_refused_not_read_without_its_mask():
    # the masked entry 100 would make the cost 3072 instead of 0
    x = np.ma.masked_array([1.0, 2.0, 3.0, 100.0], mask=[0, 0, 0, 1])
    y = np.ma.masked_array([2.0, 4.0, 6.0, 0.0], mask=[0, 0, 0, 1])
    with pytest.raises(TypeError, match=r"x is a masked array; pass x\.compressed\(\)"):
        ll.cost(x, y, 2.0)


def test_masked_scalar_argument_is_refused():
    with pytest.raises(TypeError, match="alpha is a masked array"):
        ll.ewma([1.0, 2.0], alpha=np.ma.masked_array(0.5, mask=True))
    with pytest.raises(TypeError, match="lr is a masked array"):
        ll.gradient_descent(X, Y, lr=np.ma.masked)


def test_timedelta_x_is_refused_not_read_as_numbers():
    with pytest.raises(TypeError, match=r"x holds timedelta64\[s\] values, not numbers"):
        ll.cost(np.array([1, 2, 3], dtype="m8[s]"), Y, 2.0)


def test_timedelta_scalar_is_refused_naming_the_argument():
    with pytest.raises(TypeError, match=r"alpha holds timedelta64\[s\] values"):
        ll.ewma([1.0, 2.0], alpha=np.timedelta64(1, "s"))


def test_datetime_x_is_refused_naming_x():
    with pytest.raises(TypeError, match=r"x holds datetime64\[D\] values"):
        ll.exhaustive_search(np.array(["2024-01-01"] * 3, dtype="M8[D]"), Y, [1.0, 2.0])


def test_unreadable_array_gives_type_error_naming_x_with_the_cause():
    with pytest.raises(TypeError, match=r"x could not be read as numbers.*pass x\.detach\(\)") as e:
        ll.cost(RequiresGrad(), Y, 2.0)
    assert isinstance(e.value.__cause__, RuntimeError)
    assert "requires grad" in str(e.value)


def test_unreadable_scalar_gives_type_error_naming_the_argument():
    with pytest.raises(TypeError, match=r"lr could not be read as numbers.*lr\.detach\(\)"):
        ll.gradient_descent(X, Y, lr=RequiresGrad())


def test_int_beyond_float64_is_a_value_error_naming_the_argument():
    with pytest.raises(ValueError, match="w is too large for float64"):
        ll.make_linear_data(3, w=10**400)


def test_array_likes_are_paired_by_position_not_by_label():
    x = Labelled([1.0, 2.0, 3.0], index=["a", "b", "c"])
    y = Labelled([6.0, 4.0, 2.0], index=["c", "b", "a"])  # by label, y = 2x exactly
    by_position = np.mean((np.array([1.0, 2.0, 3.0]) * 2.0 - [6.0, 4.0, 2.0]) ** 2)
    assert ll.cost(x, y, 2.0) == pytest.approx(by_position)


def test_pandas_series_are_paired_by_position_not_by_index():
    pd = pytest.importorskip("pandas")
    x = pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"])
    y = pd.Series([6.0, 4.0, 2.0], index=["c", "b", "a"])
    by_position = np.mean((x.to_numpy() * 2.0 - y.to_numpy()) ** 2)
    assert ll.cost(x, y, 2.0) == pytest.approx(by_position)
    assert ll.cost(x, y.reindex(x.index), 2.0) == 0.0


@pytest.mark.parametrize(
    ("module", "function"),
    [
        (model, "cost"),
        (model, "loss"),
        (model, "gradient"),
        (training, "gradient_descent"),
        (training, "sgd"),
        (search, "exhaustive_search"),
    ],
)
def test_the_docs_say_data_are_paired_by_position(module, function):
    assert hasattr(module, function)
    assert "paired by position" in " ".join(module.__doc__.split())


def test_timedelta_integer_argument_is_refused():
    with pytest.raises(TypeError, match=r"epochs holds timedelta64\[s\] values"):
        ll.gradient_descent(X, Y, epochs=np.timedelta64(5, "s"))


def test_memory_error_while_reading_is_not_disguised_as_a_type_error():
    class TooBig:
        def __array__(self, dtype=None, copy=None):
            raise MemoryError("Unable to allocate 8.00 TiB")

    with pytest.raises(MemoryError, match="Unable to allocate"):
        ll.cost(TooBig(), Y, 2.0)


# --- one check for every seed argument ------------------------------------------------------------


def _split(seed):
    s = ll.train_dev_test_split(10, seed=seed)
    return np.concatenate([s.train, s.dev, s.test])


SEEDED = {  # each returns the numbers its randomness decided
    "make_linear_data": lambda seed: np.concatenate(ll.make_linear_data(4, seed=seed)),
    "train_dev_test_split": _split,
    "descend": lambda seed: (
        landscapes.descend(
            landscapes.nonconvex_grad, 1.0, lr=0.1, steps=3, noise=0.5, seed=seed
        ).points
    ),
    "sgd": lambda seed: ll.sgd(np.arange(1.0, 8.0), np.arange(7.0), shuffle=True, seed=seed).w,
}


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_every_seed_argument_is_checked_the_same_way(name):
    run = SEEDED[name]
    with pytest.raises(ValueError, match="seed must be >= 0, got -1"):
        run(-1)
    for bad in (1.5, True, "1"):
        with pytest.raises(
            TypeError, match=r"seed must be an integer >= 0, a numpy\.random\.Generator or None"
        ):
            run(bad)


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_every_seed_argument_takes_what_default_rng_takes(name):
    run = SEEDED[name]
    reference = run(np.random.default_rng(np.random.SeedSequence(9)))
    np.testing.assert_array_equal(run(np.random.SeedSequence(9)), reference)
    np.testing.assert_array_equal(run(np.random.PCG64(np.random.SeedSequence(9))), reference)
    np.testing.assert_array_equal(run(9), run(np.random.default_rng(9)))
    assert not np.array_equal(run(9), run(10))
