// Small training loop to see the neuron learn (not part of the exercise).
#include <cstdio>

#include "neuron.hpp"

int main() {
    double weight = 0.5;
    const double input = 1.5, bias = 0.3, target = 1.0, lr = 0.1;

    for (int epoch = 1; epoch <= 20; ++epoch) {
        double p = forward(weight, input, bias);
        double g = gradient(weight, input, bias, target);
        weight = update_weight(weight, g, lr);
        if (epoch % 5 == 0)
            std::printf("epoch %2d  pred %.6f  loss %.6f  w %.6f\n", epoch, p, loss(p, target), weight);
    }
    return 0;
}
