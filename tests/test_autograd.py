"""Tests of lecturelib.autograd: back-propagation against closed forms and finite differences."""

import numpy as np
import pytest

from lecturelib.autograd import Value, finite_difference, linear_loss_graph
from lecturelib.model import cost, gradient


def leaves(out):
    return {v.label: v for v in out.nodes() if v.label}


@pytest.mark.parametrize(("x", "y", "w", "b"), [(1.0, 2.0, 1.0, 0.0), (3.0, 6.01, 1.7, -0.4)])
def test_linear_loss_gradients_equal_closed_form(x, y, w, b):
    out = linear_loss_graph(x, y, w, b)
    nodes = leaves(out)
    residual = x * w + b - y
    assert out.data == pytest.approx(residual**2, rel=1e-15)
    assert nodes["w"].grad == pytest.approx(2 * x * residual, rel=1e-15)
    assert nodes["b"].grad == pytest.approx(2 * residual, rel=1e-15)


def test_linear_loss_gradients_equal_finite_differences():
    x, y, w, b = 2.0, 4.0, 1.3, 0.2
    nodes = leaves(linear_loss_graph(x, y, w, b))
    fd_w = finite_difference(lambda v: (x * v + b - y) ** 2, w)
    fd_b = finite_difference(lambda v: (x * w + v - y) ** 2, b)
    assert nodes["w"].grad == pytest.approx(fd_w, rel=1e-7)
    assert nodes["b"].grad == pytest.approx(fd_b, rel=1e-7)


def test_linear_loss_gradients_of_x_and_y():
    x, y, w, b = 2.0, 4.0, 1.3, 0.2
    nodes = leaves(linear_loss_graph(x, y, w, b))
    residual = x * w + b - y
    assert nodes["x"].grad == pytest.approx(2 * w * residual)
    assert nodes["y"].grad == pytest.approx(-2 * residual)


def test_course_sgd_first_gradient_is_minus_two():
    assert leaves(linear_loss_graph(1.0, 2.0, 1.0, 0.0))["w"].grad == pytest.approx(-2.0)


def test_linear_loss_graph_has_the_labelled_nodes():
    out = linear_loss_graph(1.0, 2.0, 1.0, 0.0)
    assert [v.label for v in out.nodes()][-1] == "loss"
    assert set(leaves(out)) == {"x", "w", "b", "y", "x·w", "ŷ", "r", "loss"}
    assert out.op == "**2"
    assert leaves(out)["ŷ"].op == "+"
    assert leaves(out)["r"].op == "-"


def test_nodes_are_in_topological_order_leaves_first():
    order = linear_loss_graph(1.0, 2.0, 1.0, 0.0).nodes()
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        for p in v.parents:
            assert position[id(p)] < position[id(v)]
    assert len(position) == len(order)


def test_leaves_have_empty_op_and_no_parents():
    v = Value(3.0, "w")
    assert (v.op, v.parents, v.grad, v.data, v.label) == ("", (), 0.0, 3.0, "w")


def test_backward_twice_gives_the_same_gradients():
    out = linear_loss_graph(3.0, 6.0, 1.0, 0.5)
    first = [v.grad for v in out.nodes()]
    out.backward()
    assert [v.grad for v in out.nodes()] == first


def test_reused_node_accumulates_gradient():
    a = Value(3.0, "a")
    out = a * a + a  # d/da = 2a + 1
    out.backward()
    assert a.grad == pytest.approx(7.0)


def test_operations_with_plain_numbers_on_both_sides():
    a = Value(2.0)
    out = 3 * a - 1 + (5 - a) * 2.0 + (-a)  # = 3a - 1 + 10 - 2a - a = 9
    out.backward()
    assert out.data == pytest.approx(9.0)
    assert a.grad == pytest.approx(0.0)


def test_power_gradient_equals_closed_form():
    a = Value(1.5)
    out = a**3
    out.backward()
    assert out.data == pytest.approx(1.5**3)
    assert a.grad == pytest.approx(3 * 1.5**2)
    assert out.op == "**3"


def test_mean_squared_error_graph_matches_model_gradient():
    xs, ys = [1.0, 2.0, 3.0], [2.02, 3.98, 6.01]
    w, b = Value(1.2, "w"), Value(-0.3, "b")
    total = Value(0.0)
    for x, y in zip(xs, ys, strict=True):
        total = total + (x * w + b - y) ** 2
    mse = total * (1 / 3)
    mse.backward()
    d_w, d_b = gradient(xs, ys, 1.2, -0.3)
    assert mse.data == pytest.approx(cost(xs, ys, 1.2, -0.3), rel=1e-13)
    assert w.grad == pytest.approx(d_w, rel=1e-13)
    assert b.grad == pytest.approx(d_b, rel=1e-13)


def test_long_chain_does_not_hit_the_recursion_limit():
    a = Value(1.0)
    out = a
    for _ in range(5000):
        out = out + 1.0
    out.backward()
    assert a.grad == 1.0


def test_value_repr_shows_label_data_and_grad():
    assert repr(Value(2.0, "w")) == "Value(label='w', data=2, grad=0)"


def test_finite_difference_of_a_cubic():
    assert finite_difference(lambda t: t**3, 2.0) == pytest.approx(12.0, rel=1e-8)


def test_finite_difference_of_array_argument_is_a_gradient():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.5])

    def f(p):
        return cost(x, y, p[0], p[1])

    np.testing.assert_allclose(
        finite_difference(f, np.array([0.7, 0.2])), gradient(x, y, 0.7, 0.2), rtol=1e-7
    )


def test_finite_difference_of_scalar_is_a_float():
    assert isinstance(finite_difference(lambda t: t * t, 1.0), float)


def test_string_data_raises_type_error():
    with pytest.raises(TypeError, match="data must be a real number"):
        Value("1.0")


def test_nan_data_raises_value_error():
    with pytest.raises(ValueError, match="data must be finite"):
        Value(float("nan"))


def test_non_string_label_raises_type_error():
    with pytest.raises(TypeError, match="label must be a str"):
        Value(1.0, 3)


def test_adding_a_string_raises_type_error():
    with pytest.raises(TypeError, match="other must be a real number"):
        Value(1.0) + "2"


def test_string_exponent_raises_type_error():
    with pytest.raises(TypeError, match="exponent must be a real number"):
        Value(2.0) ** "2"


def test_fractional_power_of_negative_raises_value_error():
    with pytest.raises(ValueError, match="exponent must be an integer"):
        Value(-2.0) ** 0.5


def test_parents_not_values_raises_type_error():
    with pytest.raises(TypeError, match="parents must be a tuple of Value"):
        Value(1.0, parents=(1.0,))


def test_linear_loss_graph_nan_w_raises_value_error():
    with pytest.raises(ValueError, match="w must be finite"):
        linear_loss_graph(1.0, 2.0, float("nan"), 0.0)


def test_linear_loss_graph_string_x_raises_type_error():
    with pytest.raises(TypeError, match="x must be a real number"):
        linear_loss_graph("1", 2.0, 1.0, 0.0)


def test_finite_difference_non_callable_raises_type_error():
    with pytest.raises(TypeError, match="f must be callable"):
        finite_difference(1.0, 0.0)


def test_finite_difference_zero_step_raises_value_error():
    with pytest.raises(ValueError, match="h must be > 0"):
        finite_difference(abs, 0.0, h=0.0)


def test_finite_difference_nan_point_raises_value_error():
    with pytest.raises(ValueError, match="at must be finite"):
        finite_difference(abs, float("nan"))


# --- extreme but finite inputs ---


def test_power_that_overflows_is_a_value_error():
    with pytest.raises(ValueError, match=r"1e\+200 \*\* 2 overflows float64"):
        Value(1e200) ** 2


def test_gradient_that_overflows_is_refused_naming_the_node():
    x = Value(1e-300, "x")
    out = (x * 1e300) * 1e10  # finite forward, but ∂out/∂x = 1e310
    with pytest.raises(ValueError, match="the gradient at 'x' overflows float64"):
        out.backward()


def test_gradient_of_a_power_that_overflows_is_refused():
    x = Value(5e-324, "x")
    out = x**0.001  # ∂/∂x = 0.001 · x^-0.999 ≈ 1e320
    with pytest.raises(ValueError, match="the gradient at 'x' overflows float64"):
        out.backward()


def test_linear_loss_graph_that_overflows_names_its_arguments():
    with pytest.raises(ValueError, match=r"x, w, b or y too large: 1e\+308 \*\* 2 overflows"):
        linear_loss_graph(1e154, 1.0, 1e154, 0.0)


def test_finite_difference_with_a_step_lost_to_rounding_names_h():
    # 1e300 ± 1e-6 == 1e300: the estimate would be 0 instead of 1
    with pytest.raises(ValueError, match="h=1e-06 is too small for at=1e\\+300"):
        finite_difference(lambda a: a, 1e300)


def test_finite_difference_divides_by_the_step_actually_taken():
    at, h = 1.0 + 2.0**-20, 1e-7  # a ± h are rounded: the true step differs from 2h
    assert finite_difference(lambda a: a, at, h) == 1.0  # exact for the identity


def test_finite_difference_of_values_near_the_float64_limit():
    # f(±10) = ±1.7e308: their difference overflows, the quotient 1.7e307 does not
    slope = finite_difference(lambda a: 1.7e308 * np.tanh(a), 0.0, 10.0)
    assert slope == pytest.approx(1.7e308 * np.tanh(10.0) / 10.0, rel=1e-15)
