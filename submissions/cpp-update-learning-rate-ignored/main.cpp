#include <cmath>
#include <iostream>
using namespace std;

double forward(double weight, double input, double bias)
{
    double z = weight * input + bias;
    return 1.0 / (1.0 + exp(-z));
}

double loss(double prediction, double target)
{
    return pow(prediction - target, 2.0);
}

double gradient(double weight, double input, double bias, double target)
{
    double s = forward(weight, input, bias);
    return 2.0 * (s - target) * s * (1.0 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate)
{
    double new_weight = weight - gradient;
    return new_weight;
}

int main()
{
    cout << update_weight(0.5, 0.3, 0.1) << endl;
    return 0;
}
