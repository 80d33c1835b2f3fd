// Host stub: ESP-IDF 4.4 esp_attr.h. On the device this places the variable in
// RTC slow memory, which keeps its contents through deep sleep.
#pragma once
#define RTC_DATA_ATTR
