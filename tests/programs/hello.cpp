// Well-behaved: compiled with g++ inside a box by the test, copied out, then run in a box.
#include <iostream>

int main() {
  std::cout << "hello from the box\n";
  return 0;
}
