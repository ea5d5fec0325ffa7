#include <cmath>

double forward(double weight, double input, double bias)
{
    return 1.0 / (1.0 + exp(-(weight * input + bias)));
}

double loss(double prediction, double target)
{
    double d = prediction - target;
    return d * d;
}

double gradient(double weight, double input, double bias, double target)
{
    double s = forward(weight, input, bias);
    // d(loss)/d(output) = output - target
    double dloss = s - target;
    double dsig = s * (1 - s);
    return dloss * dsig * input;
}

double update_weight(double weight, double gradient, double learning_rate)
{
    return weight - learning_rate * gradient;
}
