// Everything by const reference.
#include <cmath>
#include <vector>

using Vec = std::vector<double>;
using Mat = std::vector<Vec>;

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
double dot(const Vec& a, const Vec& b) {
    double s = 0.0;
    for (std::size_t i = a.size(); i-- > 0;) s += a[i] * b[i];  // summed from the end
    return s;
}
}  // namespace

Vec layer_forward(const Mat& weights, const Vec& biases, const Vec& inputs) {
    Vec a;
    for (std::size_t i = 0; i < weights.size(); ++i) a.push_back(sigmoid(dot(weights[i], inputs) + biases[i]));
    return a;
}

Vec output_delta(const Vec& prediction, const Vec& target) {
    Vec d;
    for (std::size_t i = 0; i < prediction.size(); ++i) {
        const double p = prediction[i];
        d.push_back(2.0 * p * (1.0 - p) * (p - target[i]));
    }
    return d;
}

Vec hidden_delta(const Mat& next_weights, const Vec& next_delta, const Vec& activation) {
    Vec d;
    for (std::size_t j = 0; j < activation.size(); ++j) {
        Vec column;
        for (const Vec& row : next_weights) column.push_back(row[j]);
        const double a = activation[j];
        d.push_back(dot(column, next_delta) * a * (1.0 - a));
    }
    return d;
}

Mat weight_gradient(const Vec& delta, const Vec& inputs) {
    Mat g;
    for (double d : delta) {
        Vec row;
        for (double x : inputs) row.push_back(d * x);
        g.push_back(row);
    }
    return g;
}
