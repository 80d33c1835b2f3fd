#include <cstdint>

#include "check.h"
#include "sh_backoff.h"

namespace {
const sh::BackoffPolicy kPolicy{1000, 60000, 20};
}

TEST("backoff: nominal delay doubles from the base up to the cap") {
  const uint32_t expected[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
  for (uint32_t attempt = 0; attempt < 8; ++attempt) {
    CHECK_EQ(sh::nominalBackoffMs(kPolicy, attempt), expected[attempt]);
  }
  CHECK_EQ(sh::nominalBackoffMs(kPolicy, 4000000000u), 60000u);  // no overflow on huge attempt counts
}

TEST("backoff: jitter stays within plus or minus 20 percent of the nominal delay") {
  for (uint32_t attempt = 0; attempt < 10; ++attempt) {
    const uint32_t nominal = sh::nominalBackoffMs(kPolicy, attempt);
    for (uint64_t r = 0; r <= 0xFFFFFFFFull; r += 0x0FFFFFFFull) {
      const uint32_t d = sh::backoffDelayMs(kPolicy, attempt, static_cast<uint32_t>(r));
      CHECK(d >= nominal - nominal / 5);
      CHECK(d <= nominal + nominal / 5);
    }
  }
}

TEST("backoff: the random input spans the whole jitter range") {
  CHECK_EQ(sh::backoffDelayMs(kPolicy, 0, 0), 800u);
  CHECK_EQ(sh::backoffDelayMs(kPolicy, 0, 0xFFFFFFFFu), 1200u);
  CHECK_EQ(sh::backoffDelayMs(kPolicy, 0, 0x80000000u), 1000u);
  CHECK_EQ(sh::backoffDelayMs(kPolicy, 20, 0xFFFFFFFFu), 72000u);  // cap plus jitter
}

TEST("backoff: zero jitter gives exactly the nominal schedule") {
  const sh::BackoffPolicy noJitter{500, 4000, 0};
  CHECK_EQ(sh::backoffDelayMs(noJitter, 3, 0xFFFFFFFFu), 4000u);
  CHECK_EQ(sh::backoffDelayMs(noJitter, 1, 0), 1000u);
}

TEST("backoff: the stateful schedule grows per failure and restarts after reset") {
  sh::Backoff b({1000, 8000, 0});
  CHECK_EQ(b.next(0), 1000u);
  CHECK_EQ(b.next(0), 2000u);
  CHECK_EQ(b.next(0), 4000u);
  CHECK_EQ(b.next(0), 8000u);
  CHECK_EQ(b.next(0), 8000u);
  CHECK_EQ(b.attempts(), 5u);
  b.reset();
  CHECK_EQ(b.next(0), 1000u);
}
