// Battery state of charge from the cell voltage of a single Li-ion/LiPo cell.
#pragma once

#include <cstdint>

namespace sh {

// Piecewise-linear estimate from a typical discharge curve at light load:
// >= 4200 mV is 100 %, <= 3300 mV is 0 %. Monotonic in the voltage.
uint8_t batteryPercentFromMillivolts(uint32_t cellMillivolts);

}  // namespace sh
