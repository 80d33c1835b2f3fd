// Host stub: ESP-IDF 4.4 esp_system.h.
#pragma once
#include <cstdint>
uint32_t esp_random(void);
void esp_restart(void) __attribute__((noreturn));
