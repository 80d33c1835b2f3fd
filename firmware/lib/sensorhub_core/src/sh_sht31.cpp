#include "sh_sht31.h"

namespace sh {

uint8_t sht31Crc8(const uint8_t* data, size_t length) {
  uint8_t crc = 0xFF;
  for (size_t i = 0; i < length; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x80) ? static_cast<uint8_t>((crc << 1) ^ 0x31) : static_cast<uint8_t>(crc << 1);
    }
  }
  return crc;
}

bool sht31Decode(const uint8_t bytes[6], Sht31Reading& out) {
  if (sht31Crc8(bytes, 2) != bytes[2] || sht31Crc8(bytes + 3, 2) != bytes[5]) return false;
  const uint16_t rawT = static_cast<uint16_t>((bytes[0] << 8) | bytes[1]);
  const uint16_t rawH = static_cast<uint16_t>((bytes[3] << 8) | bytes[4]);
  out.temperatureC = -45.0f + 175.0f * static_cast<float>(rawT) / 65535.0f;
  out.humidityPercent = 100.0f * static_cast<float>(rawH) / 65535.0f;
  return true;
}

}  // namespace sh
