#include "backprop_network.hpp"

#include <cmath>

std::vector<double> layer_forward(std::vector<std::vector<double>> weights,
                                  std::vector<double> biases, std::vector<double> inputs) {
    std::vector<double> a(weights.size());
    for (std::size_t i = 0; i < weights.size(); ++i) {
        double z = biases[i];
        for (std::size_t j = 0; j < inputs.size(); ++j) z += weights[i][j] * inputs[j];
        a[i] = 1.0 / (1.0 + std::exp(-z));
    }
    return a;
}

std::vector<double> output_delta(std::vector<double> prediction, std::vector<double> target) {
    std::vector<double> d(prediction.size());
    for (std::size_t i = 0; i < d.size(); ++i) {
        const double p = prediction[i];
        d[i] = (p - target[i]) * p * (1.0 - p);
    }
    return d;
}

std::vector<double> hidden_delta(std::vector<std::vector<double>> next_weights,
                                 std::vector<double> next_delta, std::vector<double> activation) {
    std::vector<double> d(activation.size());
    for (std::size_t j = 0; j < d.size(); ++j) {
        double s = 0.0;
        for (std::size_t k = 0; k < next_delta.size(); ++k) s += next_weights[k][j] * next_delta[k];
        d[j] = s * activation[j] * (1.0 - activation[j]);
    }
    return d;
}

std::vector<std::vector<double>> weight_gradient(std::vector<double> delta,
                                                 std::vector<double> inputs) {
    std::vector<std::vector<double>> g(delta.size(), std::vector<double>(inputs.size()));
    for (std::size_t i = 0; i < delta.size(); ++i)
        for (std::size_t j = 0; j < inputs.size(); ++j) g[i][j] = delta[i] * inputs[j];
    return g;
}
