// Host stub: ESP-IDF 4.4 esp_system.h (esp_random() is declared in esp_random.h, which
// esp_system.h includes in 4.4).
#pragma once
#include <cstdint>
extern "C" {
uint32_t esp_random(void);
void esp_restart(void) __attribute__((noreturn));
}
