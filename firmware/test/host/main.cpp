#include <cstdio>

#include "check.h"

std::string g_goldenDir = "test/golden";

int main(int argc, char** argv) {
  if (argc > 1) g_goldenDir = argv[1];
  check::Registry& r = check::Registry::instance();
  for (int i = 0; i < r.count; ++i) {
    const int before = r.failures;
    r.current = r.entries[i].name;
    r.entries[i].fn();
    std::printf("%s %s\n", r.failures == before ? "ok  " : "FAIL", r.entries[i].name);
  }
  std::printf("\n%d tests, %d failed checks\n", r.count, r.failures);
  return r.failures == 0 ? 0 : 1;
}
