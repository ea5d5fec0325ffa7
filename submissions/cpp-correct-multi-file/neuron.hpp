#ifndef NEURON_HPP
#define NEURON_HPP

// single sigmoid neuron: prediction = sigmoid(weight * input + bias)

double sigmoid(double z);
double sigmoid_prime(double z);

double forward(double weight, double input, double bias);
double loss(double prediction, double target);
double gradient(double weight, double input, double bias, double target);
double update_weight(double weight, double gradient, double learning_rate);

#endif
