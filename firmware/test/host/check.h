// A minimal test harness (no third-party code): TEST registers a function,
// CHECK/CHECK_EQ record failures with file:line and keep going.
#pragma once

#include <cstring>
#include <iostream>
#include <sstream>
#include <string>

namespace check {

using TestFn = void (*)();

struct Registry {
  static Registry& instance() {
    static Registry r;
    return r;
  }
  struct Entry {
    const char* name;
    TestFn fn;
  };
  Entry entries[256];
  int count = 0;
  int failures = 0;
  const char* current = "";
};

inline int add(const char* name, TestFn fn) {
  Registry& r = Registry::instance();
  r.entries[r.count++] = {name, fn};
  return r.count;
}

inline void fail(const char* file, int line, const std::string& message) {
  Registry& r = Registry::instance();
  ++r.failures;
  std::cerr << file << ":" << line << ": FAILED in \"" << r.current << "\": " << message << "\n";
}

template <typename A, typename B>
void checkEq(const A& actual, const B& expected, const char* actualText, const char* expectedText, const char* file,
             int line) {
  if (!(actual == expected)) {
    std::ostringstream os;
    os << actualText << " == " << expectedText << "\n    actual:   " << actual << "\n    expected: " << expected;
    fail(file, line, os.str());
  }
}

}  // namespace check

#define CHECK_CONCAT2(a, b) a##b
#define CHECK_CONCAT(a, b) CHECK_CONCAT2(a, b)
#define TEST(name)                                                                        \
  static void CHECK_CONCAT(test_fn_, __LINE__)();                                         \
  static const int CHECK_CONCAT(test_reg_, __LINE__) = check::add(name, &CHECK_CONCAT(test_fn_, __LINE__)); \
  static void CHECK_CONCAT(test_fn_, __LINE__)()

#define CHECK(cond)                                           \
  do {                                                        \
    if (!(cond)) check::fail(__FILE__, __LINE__, #cond);      \
  } while (0)

#define CHECK_EQ(actual, expected) check::checkEq((actual), (expected), #actual, #expected, __FILE__, __LINE__)

// Compares C strings by content.
#define CHECK_STR(actual, expected) CHECK_EQ(std::string(actual), std::string(expected))

// Directory holding the golden packet files (set by main from argv[1]).
extern std::string g_goldenDir;
