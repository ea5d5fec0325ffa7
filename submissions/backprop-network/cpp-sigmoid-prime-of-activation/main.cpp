#include <cmath>
#include <vector>

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
double sigmoid_prime(double z) { return sigmoid(z) * (1.0 - sigmoid(z)); }

std::vector<double> layer_forward(std::vector<std::vector<double>> weights,
                                  std::vector<double> biases, std::vector<double> inputs) {
    std::vector<double> out;
    for (size_t i = 0; i < weights.size(); i++) {
        double z = biases[i];
        for (size_t j = 0; j < inputs.size(); j++) z += weights[i][j] * inputs[j];
        out.push_back(sigmoid(z));
    }
    return out;
}

std::vector<double> output_delta(std::vector<double> prediction, std::vector<double> target) {
    std::vector<double> delta;
    for (size_t i = 0; i < prediction.size(); i++)
        delta.push_back(2 * (prediction[i] - target[i]) * sigmoid_prime(prediction[i]));
    return delta;
}

std::vector<double> hidden_delta(std::vector<std::vector<double>> next_weights,
                                 std::vector<double> next_delta, std::vector<double> activation) {
    std::vector<double> delta;
    for (size_t j = 0; j < activation.size(); j++) {
        double sum = 0;
        for (size_t k = 0; k < next_delta.size(); k++) sum += next_weights[k][j] * next_delta[k];
        delta.push_back(sum * sigmoid_prime(activation[j]));
    }
    return delta;
}

std::vector<std::vector<double>> weight_gradient(std::vector<double> delta,
                                                 std::vector<double> inputs) {
    std::vector<std::vector<double>> g(delta.size(), std::vector<double>(inputs.size()));
    for (size_t i = 0; i < delta.size(); i++)
        for (size_t j = 0; j < inputs.size(); j++) g[i][j] = delta[i] * inputs[j];
    return g;
}
