# Exercise: Understand Backpropagation
import math

print("Backpropagation exercise")
print("=" * 50)


# Task 1: Simulate forward pass and calculate prediction
def forward(weight, input, bias):
    z = weight * input + bias
    prediction = 1 / (1 + math.exp(-z))
    return prediction


# Task 2: Calculate loss (difference between prediction and target)
def loss(prediction, target):
    return (prediction - target) ** 2


# Task 3: Calculate gradient (derivative of loss with respect to weight)
def gradient(weight, input, bias, target):
    prediction = forward(weight, input, bias)
    dloss_doutput = 2 * (prediction - target)
    doutput_dweight = prediction * (1 - prediction) * input
    return dloss_doutput * doutput_dweight


# Task 4: Update weight using gradient descent rule
def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient


if __name__ == "__main__":
    current_weight = 0.5
    x = 1.5
    b = 0.3
    target = 1.0
    learning_rate = 0.1

    print("\nStep 1: Forward Pass")
    prediction = forward(current_weight, x, b)
    print(f" Prediction: {prediction}")

    print("\nStep 2: Calculate Loss")
    print(f" Loss: {loss(prediction, target)}")

    print("\nStep 3: Backward Pass")
    grad = gradient(current_weight, x, b, target)
    print(f" Gradient: {grad}")

    print("\nStep 4: Update Weights")
    new_weight = update_weight(current_weight, grad, learning_rate)
    print(f" Updated weight: {new_weight}")
    print(" Formula: weight_new = weight_old - learning_rate * gradient")
