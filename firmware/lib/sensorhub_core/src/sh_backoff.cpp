#include "sh_backoff.h"

namespace sh {

uint32_t nominalBackoffMs(const BackoffPolicy& policy, uint32_t attempt) {
  uint64_t delay = policy.baseMs;
  for (uint32_t i = 0; i < attempt && delay < policy.maxMs; ++i) {
    delay *= 2;
  }
  return delay > policy.maxMs ? policy.maxMs : static_cast<uint32_t>(delay);
}

uint32_t backoffDelayMs(const BackoffPolicy& policy, uint32_t attempt, uint32_t random32) {
  const uint64_t nominal = nominalBackoffMs(policy, attempt);
  const uint64_t percent = policy.jitterPercent > 100 ? 100 : policy.jitterPercent;
  const uint64_t span = nominal * percent / 100;  // maximum deviation either way
  // Map random32 onto [0, 2*span] and shift to [-span, +span].
  const uint64_t offset = (static_cast<uint64_t>(random32) * (2 * span + 1)) >> 32;
  return static_cast<uint32_t>(nominal - span + offset);
}

uint32_t Backoff::next(uint32_t random32) {
  const uint32_t delay = backoffDelayMs(policy_, attempt_, random32);
  if (attempt_ < 64) ++attempt_;
  return delay;
}

}  // namespace sh
