// Hostile test submission (cpp-template-bomb): a parameter pack that doubles at each of 40
// levels of instantiation (2^40 types), which exhausts the compiler's memory within seconds.
// Expected: compile_error (the compile step's memory or time limit).
template <class... T> struct List {};
template <int N, class... T> struct Grow {
  using type = typename Grow<N - 1, T..., T...>::type;
};
template <class... T> struct Grow<0, T...> {
  using type = List<T...>;
};
Grow<40, int>::type boom;

#include <cmath>

double forward(double weight, double input, double bias) {
  return 1.0 / (1.0 + std::exp(-(weight * input + bias)));
}

double loss(double prediction, double target) {
  const double d = prediction - target;
  return d * d;
}

double gradient(double weight, double input, double bias, double target) {
  const double s = forward(weight, input, bias);
  return 2.0 * (s - target) * s * (1.0 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
  return weight - learning_rate * gradient;
}
