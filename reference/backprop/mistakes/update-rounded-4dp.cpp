// mistake: update-rounded-4dp
// task: update_weight
// hint: Your new weight is rounded to 4 decimals: return the full-precision value of weight - learning_rate * gradient and round only when you print it.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

double update_weight(double weight, double gradient, double learning_rate) {
    const double w = weight - learning_rate * gradient;
    return std::round(w * 10000.0) / 10000.0;  // rounded for display, too early
}
