# Well-behaved Python: computes, uses multiprocessing (needs a private /dev/shm), writes a file.
import multiprocessing
import sys


def square(x):
    return x * x


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        total = sum(pool.map(square, range(10)))
    with open("py_out.txt", "w") as f:
        f.write(str(total))
    print("sum", total)
    sys.exit(0)
