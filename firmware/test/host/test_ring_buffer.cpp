#include <deque>
#include <type_traits>

#include "check.h"
#include "sh_ring_buffer.h"
#include "sh_telemetry.h"

namespace {
sh::RingBuffer<int, 3> g_zeroInitialised;  // as in RTC memory: no constructor runs
}

TEST("ring buffer: a zero-initialised buffer is empty") {
  CHECK(g_zeroInitialised.empty());
  CHECK(g_zeroInitialised.oldest() == nullptr);
  CHECK(!g_zeroInitialised.pop());
  CHECK((std::is_trivially_default_constructible<sh::RingBuffer<sh::Sample, 32>>::value));
}

TEST("ring buffer: replays entries oldest first") {
  sh::RingBuffer<int, 3> rb{};
  CHECK(!rb.push(1));
  CHECK(!rb.push(2));
  CHECK_EQ(rb.size(), 2u);
  CHECK_EQ(*rb.oldest(), 1);
  CHECK(rb.pop());
  CHECK_EQ(*rb.oldest(), 2);
  CHECK(rb.pop());
  CHECK(rb.empty());
}

TEST("ring buffer: drops the oldest when full and replays the rest oldest first") {
  sh::RingBuffer<int, 3> rb{};
  for (int i = 1; i <= 3; ++i) CHECK(!rb.push(i));
  CHECK(rb.full());
  CHECK(rb.push(4));  // drops 1
  CHECK(rb.push(5));  // drops 2
  CHECK_EQ(rb.size(), 3u);
  int replayed[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    replayed[i] = *rb.oldest();
    rb.pop();
  }
  CHECK_EQ(replayed[0], 3);
  CHECK_EQ(replayed[1], 4);
  CHECK_EQ(replayed[2], 5);
  CHECK(rb.empty());
}

TEST("ring buffer: an entry stays queued until it is popped (failed send keeps it)") {
  sh::RingBuffer<int, 2> rb{};
  rb.push(7);
  CHECK_EQ(*rb.oldest(), 7);
  CHECK_EQ(*rb.oldest(), 7);  // peeking twice, as after a failed publish
  CHECK_EQ(rb.size(), 1u);
}

TEST("ring buffer: behaves like a bounded FIFO across many wrap-arounds") {
  // Reference model: a deque that forgets its front beyond 4 entries.
  sh::RingBuffer<int, 4> rb{};
  std::deque<int> model;
  int next = 0;
  for (int round = 0; round < 50; ++round) {
    for (int k = 0; k < 1 + round % 3; ++k) {
      const bool dropped = rb.push(next);
      CHECK_EQ(dropped, model.size() == 4);
      if (model.size() == 4) model.pop_front();
      model.push_back(next++);
    }
    if (round % 2 == 0) {
      CHECK_EQ(*rb.oldest(), model.front());
      rb.pop();
      model.pop_front();
    }
    CHECK_EQ(rb.size(), model.size());
  }
  while (!model.empty()) {
    CHECK_EQ(*rb.oldest(), model.front());
    rb.pop();
    model.pop_front();
  }
  CHECK(rb.empty());
}
