#include <cmath>

#include "check.h"
#include "sh_battery.h"
#include "sh_sht31.h"

TEST("sht31: CRC matches the datasheet example CRC(0xBEEF) = 0x92") {
  const uint8_t data[] = {0xBE, 0xEF};
  CHECK_EQ(static_cast<int>(sh::sht31Crc8(data, 2)), 0x92);
}

TEST("sht31: decodes raw words into degrees Celsius and percent relative humidity") {
  // rawT = 0x6666 (26214) -> -45 + 175 * 26214/65535 = 25.0 C; rawH = 0x8000 -> 50.0 %
  uint8_t bytes[6] = {0x66, 0x66, 0, 0x80, 0x00, 0};
  bytes[2] = sh::sht31Crc8(bytes, 2);
  bytes[5] = sh::sht31Crc8(bytes + 3, 2);
  sh::Sht31Reading r{};
  CHECK(sh::sht31Decode(bytes, r));
  CHECK(std::fabs(r.temperatureC - 25.0f) < 0.01f);
  CHECK(std::fabs(r.humidityPercent - 50.0f) < 0.01f);
}

TEST("sht31: a corrupted byte fails the CRC and yields no reading") {
  uint8_t bytes[6] = {0x66, 0x66, 0, 0x80, 0x00, 0};
  bytes[2] = sh::sht31Crc8(bytes, 2);
  bytes[5] = sh::sht31Crc8(bytes + 3, 2);
  bytes[4] ^= 0x01;
  sh::Sht31Reading r{};
  CHECK(!sh::sht31Decode(bytes, r));
}

TEST("battery: clamps to 0 and 100 percent outside the curve") {
  CHECK_EQ(static_cast<int>(sh::batteryPercentFromMillivolts(4350)), 100);
  CHECK_EQ(static_cast<int>(sh::batteryPercentFromMillivolts(4200)), 100);
  CHECK_EQ(static_cast<int>(sh::batteryPercentFromMillivolts(3300)), 0);
  CHECK_EQ(static_cast<int>(sh::batteryPercentFromMillivolts(0)), 0);
}

TEST("battery: interpolates between curve points and never decreases with voltage") {
  CHECK_EQ(static_cast<int>(sh::batteryPercentFromMillivolts(3850)), 55);  // halfway 45..65
  int previous = 0;
  for (uint32_t mv = 3000; mv <= 4400; mv += 5) {
    const int p = sh::batteryPercentFromMillivolts(mv);
    CHECK(p >= previous);
    CHECK(p <= 100);
    previous = p;
  }
}
