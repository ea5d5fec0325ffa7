// Vectors taken by const reference: no copy per call.
#include <cmath>
#include <vector>

static double predict(double w, double b, double x) { return 1.0 / (1.0 + std::exp(-(w * x + b))); }

double batch_gradient(double weight, double bias, const std::vector<double>& inputs,
                      const std::vector<double>& targets) {
    const double n = static_cast<double>(inputs.size());
    double g = 0.0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const double p = predict(weight, bias, inputs[i]);
        g += (2.0 / n) * (p - targets[i]) * p * (1.0 - p) * inputs[i];  // mean accumulated term by term
    }
    return g;
}

double train(double weight, double bias, const std::vector<double>& inputs,
             const std::vector<double>& targets, double learning_rate, int epochs) {
    while (epochs-- > 0) weight -= learning_rate * batch_gradient(weight, bias, inputs, targets);
    return weight;
}

std::vector<double> loss_curve(double weight, double bias, const std::vector<double>& inputs,
                               const std::vector<double>& targets, double learning_rate,
                               int epochs) {
    std::vector<double> curve;
    curve.reserve(epochs > 0 ? epochs : 0);
    for (int e = 1; e <= epochs; ++e) {
        weight -= learning_rate * batch_gradient(weight, bias, inputs, targets);
        double loss = 0.0;
        for (std::size_t i = inputs.size(); i-- > 0;) {  // backwards, for once
            const double d = predict(weight, bias, inputs[i]) - targets[i];
            loss += std::pow(d, 2);
        }
        curve.push_back(loss / inputs.size());
    }
    return curve;
}
