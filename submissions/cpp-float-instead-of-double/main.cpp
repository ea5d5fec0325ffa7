// float is enough for a neural net, everyone uses float32 on GPUs anyway
#include <cmath>
#include <iostream>

double forward(double weight, double input, double bias) {
    float z = (float)weight * (float)input + (float)bias;
    float out = 1.0f / (1.0f + expf(-z));
    return out;
}

double loss(double prediction, double target) {
    float diff = (float)prediction - (float)target;
    return diff * diff;
}

double gradient(double weight, double input, double bias, double target) {
    float x = input;
    float out = forward(weight, input, bias);
    float g = 2.0f * (out - (float)target) * out * (1.0f - out) * x;
    return g;
}

double update_weight(double weight, double gradient, double learning_rate) {
    float w = weight;
    float lr = learning_rate;
    float g = gradient;
    return w - lr * g;
}

int main() {
    std::cout << forward(0.5f, 1.5f, 0.3f) << std::endl;
    return 0;
}
