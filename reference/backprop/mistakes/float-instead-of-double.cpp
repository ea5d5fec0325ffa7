// mistake: float-instead-of-double
// task: forward loss gradient update_weight
// hint: Your results carry only about 7 correct digits, the precision of float: declare your variables and constants as double so every step keeps about 16 digits.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

double forward(double weight, double input, double bias) {
    const float z = static_cast<float>(weight) * static_cast<float>(input) + static_cast<float>(bias);
    return 1.0f / (1.0f + std::exp(-z));
}

double loss(double prediction, double target) {
    const float d = static_cast<float>(prediction) - static_cast<float>(target);
    return d * d;
}

double gradient(double weight, double input, double bias, double target) {
    const auto s = static_cast<float>(forward(weight, input, bias));
    return 2.0f * (s - static_cast<float>(target)) * s * (1.0f - s) * static_cast<float>(input);
}

double update_weight(double weight, double gradient, double learning_rate) {
    return static_cast<float>(weight) - static_cast<float>(learning_rate) * static_cast<float>(gradient);
}
