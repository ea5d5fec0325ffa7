#include "backprop_network.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

using Vector = std::vector<double>;
using Matrix = std::vector<std::vector<double>>;

Vector layer_forward(Matrix weights, Vector biases, Vector inputs) {
    Vector out(weights.size());
    for (std::size_t i = 0; i < weights.size(); ++i) {
        double z = biases[i];
        for (std::size_t j = 0; j < inputs.size(); ++j) z += weights[i][j] * inputs[j];
        out[i] = 1.0 / (1.0 + std::exp(-z));
    }
    return out;
}

Vector output_delta(Vector prediction, Vector target) {
    Vector delta(prediction.size());
    for (std::size_t i = 0; i < prediction.size(); ++i) {
        double p = prediction[i];
        delta[i] = 2.0 * (p - target[i]) * p * (1.0 - p);
    }
    return delta;
}

Vector hidden_delta(Matrix next_weights, Vector next_delta, Vector activation) {
    Vector delta(activation.size(), 0.0);
    for (std::size_t k = 0; k < next_delta.size(); ++k) {
        for (std::size_t j = 0; j < activation.size(); ++j) {
            delta[j] += next_weights[k][j] * next_delta[k];  // W^T delta
        }
    }
    for (std::size_t j = 0; j < activation.size(); ++j) {
        delta[j] *= activation[j] * (1.0 - activation[j]);
    }
    return delta;
}

Matrix weight_gradient(Vector delta, Vector inputs) {
    Matrix grad(delta.size(), Vector(inputs.size()));
    for (std::size_t i = 0; i < delta.size(); ++i)
        for (std::size_t j = 0; j < inputs.size(); ++j) grad[i][j] = delta[i] * inputs[j];
    return grad;
}
