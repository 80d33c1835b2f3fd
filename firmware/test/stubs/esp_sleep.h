// Host stub: ESP-IDF 4.4 esp_sleep.h (esp_err_t from esp_err.h).
#pragma once
#include <cstdint>
typedef int esp_err_t;
extern "C" {
esp_err_t esp_sleep_enable_timer_wakeup(uint64_t time_in_us);
void esp_deep_sleep_start(void) __attribute__((noreturn));
}
