#include <iostream>
#include <cmath>
using namespace std;

// Task 1: forward pass
double forward(double weight, double input, double bias)
{
    double z = weight*input + bias;
    double out = 1/(1+exp(-z));
    cout << "[debug] forward z=" << z << " out=" << out << endl;
    return out;
}

// Task 2: loss (squared error)
double loss(double prediction, double target)
{
    return pow(prediction - target, 2);
}

// Task 3: gradient dL/dw
double gradient(double weight, double input, double bias, double target)
{
    double out = forward(weight, input, bias);
    double dL_dout = 2*(out - target);
    double dout_dz = out*(1-out);
    double dz_dw = input;
    cerr << "[debug] dL/dout=" << dL_dout << " dout/dz=" << dout_dz << endl;
    return dL_dout * dout_dz * dz_dw;
}

// Task 4: gradient descent step
double update_weight(double weight, double gradient, double learning_rate)
{
    double new_weight = weight - learning_rate*gradient;
    return new_weight;
}

int main()
{
    double w = 0.5, x = 1.5, b = 0.3, t = 1.0, lr = 0.1;
    cout << "Training a single neuron" << endl;
    cout << "========================" << endl;
    for (int epoch = 0; epoch < 5; epoch++) {
        double p = forward(w, x, b);
        double L = loss(p, t);
        double g = gradient(w, x, b, t);
        w = update_weight(w, g, lr);
        cout << "epoch " << epoch << ": prediction=" << p << " loss=" << L
             << " grad=" << g << " new w=" << w << endl;
    }
    return 0;
}
