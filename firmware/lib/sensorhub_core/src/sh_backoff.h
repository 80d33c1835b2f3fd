// Reconnect schedule: exponential growth from `baseMs`, capped at `maxMs`, with
// a symmetric random jitter so a fleet that lost the broker together does not
// reconnect together.
#pragma once

#include <cstdint>

namespace sh {

struct BackoffPolicy {
  uint32_t baseMs = 1000;
  uint32_t maxMs = 60000;
  uint8_t jitterPercent = 20;  // delay is nominal * (1 ± jitterPercent/100)
};

// Nominal (jitter-free) delay before retry number `attempt` (0-based):
// base, 2*base, 4*base, ... capped at maxMs. Never overflows.
uint32_t nominalBackoffMs(const BackoffPolicy& policy, uint32_t attempt);

// Delay with jitter. `random32` is a uniformly distributed 32-bit value
// (esp_random() on the device); 0 gives the shortest, 0xFFFFFFFF the longest.
uint32_t backoffDelayMs(const BackoffPolicy& policy, uint32_t attempt, uint32_t random32);

// Stateful wrapper: next() returns the delay for the current failure and
// advances; reset() after a successful connection.
class Backoff {
 public:
  explicit Backoff(const BackoffPolicy& policy) : policy_(policy) {}
  uint32_t next(uint32_t random32);
  void reset() { attempt_ = 0; }
  uint32_t attempts() const { return attempt_; }

 private:
  BackoffPolicy policy_;
  uint32_t attempt_ = 0;
};

}  // namespace sh
