#include <cmath>
#include <iostream>
using namespace std;

double forward(double weight, double input, double bias) {
    double z = weight*input + bias;
    return 1/(1 + exp(-z));
}

// error between prediction and target
double loss(double prediction, double target) {
    return abs(prediction - target);
}

double gradient(double weight, double input, double bias, double target) {
    double out = forward(weight, input, bias);
    return 2*(out - target)*out*(1 - out)*input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight + learning_rate*gradient;
}

int main() {
    double w = 0.5;
    double out = forward(w, 1.5, 0.3);
    cout << "out=" << out << " loss=" << loss(out, 1) << endl;
    double g = gradient(w, 1.5, 0.3, 1);
    w = update_weight(w, g, 0.1);
    cout << "new weight=" << w << endl;
}
