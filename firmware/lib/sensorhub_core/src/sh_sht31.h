// Sensirion SHT3x (SHT31) measurement decoding: CRC check and conversion of
// the raw 16-bit words, per the datasheet. The I2C transfer is in main.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sh {

constexpr uint8_t kSht31DefaultAddress = 0x44;
// Single shot, high repeatability, no clock stretching.
constexpr uint16_t kSht31MeasureHighRep = 0x2400;
// Worst-case conversion time for high repeatability is 15.5 ms.
constexpr uint32_t kSht31MeasureDelayMs = 20;

// CRC-8, polynomial 0x31, init 0xFF (datasheet: CRC(0xBEEF) = 0x92).
uint8_t sht31Crc8(const uint8_t* data, size_t length);

struct Sht31Reading {
  float temperatureC;
  float humidityPercent;
};

// Decodes the 6 bytes read after a measurement command:
// temp MSB, temp LSB, temp CRC, hum MSB, hum LSB, hum CRC.
// Returns false if either CRC does not match.
bool sht31Decode(const uint8_t bytes[6], Sht31Reading& out);

}  // namespace sh
