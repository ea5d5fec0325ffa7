#include <cmath>
#include <cstdio>

double forward(double weight, double input, double bias) {
  double z = weight * input + bias;
  return 1 / (1 + std::exp(-z));
}

double loss(double prediction, double target) {
  return std::pow(prediction - target, 2);
}

// Gradient = 2 * (output - target) * input
double gradient(double weight, double input, double bias, double target) {
  double output = forward(weight, input, bias);
  return 2 * (output - target) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
  return weight - learning_rate * gradient;
}

int main() {
  double w = 0.5;
  for (int i = 0; i < 3; i++) {
    double g = gradient(w, 1.5, 0.3, 1.0);
    w = update_weight(w, g, 0.1);
    std::printf("step %d: w = %f\n", i, w);
  }
  return 0;
}
