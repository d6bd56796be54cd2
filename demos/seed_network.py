"""Main demo (a placeholder until the seed-network lesson lands): one tanh neuron."""

from autograd import Value


def main() -> None:
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.8813735870195432, label="b")
    y = (x * w + b).tanh()
    y.label = "y"
    y.backward()
    for v in (x, w, b, y):
        print(f"{v.label}: data={v.data:.6f} grad={v.grad:.6f}")


if __name__ == "__main__":
    main()
