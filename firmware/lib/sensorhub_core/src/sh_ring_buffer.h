// Fixed-capacity FIFO that overwrites the oldest entry when full. It has no
// constructor so it can live in RTC memory (RTC_DATA_ATTR) and survive deep
// sleep: a zero-initialised object is an empty buffer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sh {

template <typename T, size_t Capacity>
struct RingBuffer {
  static_assert(Capacity > 0 && Capacity < 65536, "capacity must fit in uint16_t");

  T items[Capacity];
  uint16_t head;   // index of the oldest entry
  uint16_t count;  // number of stored entries

  static constexpr size_t capacity() { return Capacity; }
  size_t size() const { return count; }
  bool empty() const { return count == 0; }
  bool full() const { return count == Capacity; }
  void clear() { head = 0; count = 0; }

  // Appends `item`; when full the oldest entry is dropped to make room.
  // Returns true if an entry was dropped.
  bool push(const T& item) {
    const bool dropped = full();
    if (dropped) {
      head = static_cast<uint16_t>((head + 1) % Capacity);
      --count;
    }
    items[(head + count) % Capacity] = item;
    ++count;
    return dropped;
  }

  // Oldest entry, or nullptr when empty. Stays in the buffer until pop().
  const T* oldest() const { return empty() ? nullptr : &items[head]; }

  // Removes the oldest entry; returns false when empty.
  bool pop() {
    if (empty()) return false;
    head = static_cast<uint16_t>((head + 1) % Capacity);
    --count;
    return true;
  }
};

}  // namespace sh
