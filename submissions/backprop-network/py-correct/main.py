import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def layer_forward(weights, biases, inputs):
    return [sigmoid(sum(w * x for w, x in zip(row, inputs)) + b) for row, b in zip(weights, biases)]


def output_delta(prediction, target):
    return [2 * (p - t) * p * (1 - p) for p, t in zip(prediction, target)]


def hidden_delta(next_weights, next_delta, activation):
    result = []
    for j, a in enumerate(activation):
        back = sum(next_weights[k][j] * next_delta[k] for k in range(len(next_delta)))
        result.append(back * a * (1 - a))
    return result


def weight_gradient(delta, inputs):
    return [[d * x for x in inputs] for d in delta]


if __name__ == "__main__":
    x = [1.5, -0.7]
    hidden = layer_forward([[0.5, -1.2], [0.8, 0.3], [-0.4, 1.1]], [0.3, -0.25, 0.1], x)
    print(hidden)
