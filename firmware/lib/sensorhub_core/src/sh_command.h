// Commands the API publishes on devices/{id}/cmd, as flat JSON objects:
//   {"command":"interval","seconds":60}   change the publish interval
//   {"command":"reboot"}                  restart the device
//   {"command":"ping"}                    re-announce "online" and publish a reading now
// Unknown keys are ignored so the API can add fields (e.g. a request id).
#pragma once

#include <cstddef>
#include <cstdint>

namespace sh {

constexpr uint32_t kMinIntervalSeconds = 5;
constexpr uint32_t kMaxIntervalSeconds = 86400;
constexpr size_t kMaxCommandPayload = 512;

enum class CommandType : uint8_t { Invalid = 0, Interval, Reboot, Ping };

enum class CommandError : uint8_t {
  None = 0,
  Malformed,        // not a flat JSON object, or payload too long
  MissingCommand,   // no "command" string
  UnknownCommand,   // "command" is not interval/reboot/ping
  BadInterval,      // "seconds" missing, not an integer, or outside the bounds
};

struct Command {
  CommandType type = CommandType::Invalid;
  uint32_t intervalSeconds = 0;  // set for CommandType::Interval
  CommandError error = CommandError::None;
};

const char* commandErrorName(CommandError error);

// Parses a command payload (not NUL-terminated; `length` bytes).
Command parseCommand(const char* payload, size_t length);

}  // namespace sh
