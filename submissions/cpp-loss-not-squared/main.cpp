#include <cmath>

double forward(double weight, double input, double bias)
{
    return 1 / (1 + std::exp(-(weight * input + bias)));
}

double loss(double prediction, double target)
{
    double error = prediction - target;
    return error;   // squared error
}

double gradient(double weight, double input, double bias, double target)
{
    double p = forward(weight, input, bias);
    double error = p - target;
    return 2 * error * p * (1 - p) * input;
}

double update_weight(double weight, double gradient, double learning_rate)
{
    return weight - learning_rate * gradient;
}
