/*
 * Backprop exercise.
 * I wrote my own numerically stable sigmoid: exp(-z) overflows for very
 * negative z, so for z < 0 use exp(z) / (1 + exp(z)) instead.
 */
#include <math.h>

static double stable_sigmoid(double z)
{
    if (z >= 0) {
        double e = exp(-z);
        return 1.0 / (1.0 + e);
    } else {
        double e = exp(z);
        return e / (1.0 + e);
    }
}

/* sigmoid'(z) written without cancellation: e^-|z| / (1 + e^-|z|)^2 */
static double sigmoid_derivative(double z)
{
    double e = exp(-fabs(z));
    return e / ((1.0 + e) * (1.0 + e));
}

double forward(double weight, double input, double bias)
{
    return stable_sigmoid(weight * input + bias);
}

double loss(double prediction, double target)
{
    double d = prediction - target;
    return d * d;
}

double gradient(double weight, double input, double bias, double target)
{
    double z = weight * input + bias;
    double a = stable_sigmoid(z);
    return 2.0 * (a - target) * sigmoid_derivative(z) * input;
}

double update_weight(double weight, double gradient, double learning_rate)
{
    return weight - learning_rate * gradient;
}
