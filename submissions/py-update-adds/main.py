import math

def forward(weight, input, bias):
    z = weight*input + bias
    return 1/(1 + math.exp(-z))

def loss(prediction, target):
    return (prediction - target)**2

def gradient(weight, input, bias, target):
    out = forward(weight, input, bias)
    return 2*(out - target)*out*(1 - out)*input

def update_weight(weight, gradient, learning_rate):
    # step in the direction of the gradient
    return weight + learning_rate*gradient

if __name__ == "__main__":
    w = 0.5
    for i in range(5):
        w = update_weight(w, gradient(w, 1.5, 0.3, 1), 0.1)
        print(i, w, loss(forward(w, 1.5, 0.3), 1))
