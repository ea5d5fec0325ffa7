// Hostile: sleeps without using CPU. Expected: timeout (wall). Bounded: exits 3 after 30 s.
#include <unistd.h>

int main() {
  sleep(30);
  return 3;
}
