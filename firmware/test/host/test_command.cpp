#include <cstring>

#include "check.h"
#include "sh_command.h"

namespace {
sh::Command parse(const char* s) { return sh::parseCommand(s, std::strlen(s)); }
}  // namespace

TEST("command: interval sets the publish interval in seconds") {
  const sh::Command c = parse("{\"command\":\"interval\",\"seconds\":60}");
  CHECK(c.type == sh::CommandType::Interval);
  CHECK_EQ(c.intervalSeconds, 60u);
  CHECK(c.error == sh::CommandError::None);
}

TEST("command: reboot and ping need no arguments; whitespace and extra keys are fine") {
  CHECK(parse("{\"command\":\"reboot\"}").type == sh::CommandType::Reboot);
  CHECK(parse(" {\n \"id\" : \"req-1\", \"command\" : \"ping\", \"force\": true, \"n\": null } ").type ==
        sh::CommandType::Ping);
}

TEST("command: interval outside 5..86400 s, fractional or missing is rejected") {
  CHECK(parse("{\"command\":\"interval\",\"seconds\":4}").error == sh::CommandError::BadInterval);
  CHECK(parse("{\"command\":\"interval\",\"seconds\":86401}").error == sh::CommandError::BadInterval);
  CHECK(parse("{\"command\":\"interval\",\"seconds\":-60}").error == sh::CommandError::BadInterval);
  CHECK(parse("{\"command\":\"interval\",\"seconds\":30.5}").error == sh::CommandError::BadInterval);
  CHECK(parse("{\"command\":\"interval\",\"seconds\":\"60\"}").error == sh::CommandError::BadInterval);
  CHECK(parse("{\"command\":\"interval\"}").error == sh::CommandError::BadInterval);
  CHECK_EQ(parse("{\"command\":\"interval\",\"seconds\":5}").intervalSeconds, 5u);
  CHECK_EQ(parse("{\"command\":\"interval\",\"seconds\":86400.0}").intervalSeconds, 86400u);
}

TEST("command: unknown or missing command names are reported as such") {
  CHECK(parse("{\"command\":\"selfdestruct\"}").error == sh::CommandError::UnknownCommand);
  CHECK(parse("{\"seconds\":60}").error == sh::CommandError::MissingCommand);
  CHECK(parse("{}").error == sh::CommandError::MissingCommand);
}

TEST("command: malformed payloads never parse as a command") {
  const char* bad[] = {"",
                       "ping",
                       "{\"command\":\"ping\"",
                       "{\"command\":\"ping\"}}",
                       "{\"command\":\"ping\",}",
                       "{\"command\":ping}",
                       "{\"command\":{\"name\":\"ping\"}}",
                       "{\"command\":[\"ping\"]}",
                       "{\"command\":\"pi\\u006eg\"}",
                       "{\"seconds\":01,\"command\":\"ping\"}",
                       "[{\"command\":\"ping\"}]"};
  for (const char* s : bad) {
    const sh::Command c = parse(s);
    if (c.type != sh::CommandType::Invalid || c.error != sh::CommandError::Malformed) {
      check::fail(__FILE__, __LINE__, std::string("accepted or misclassified: ") + s);
    }
  }
}

TEST("command: payloads are length-delimited, not NUL-terminated") {
  const char buf[] = "{\"command\":\"reboot\"}GARBAGE";
  CHECK(sh::parseCommand(buf, std::strlen("{\"command\":\"reboot\"}")).type == sh::CommandType::Reboot);
  CHECK(sh::parseCommand(buf, sizeof buf - 1).error == sh::CommandError::Malformed);
}

TEST("command: oversized payloads are rejected") {
  std::string big = "{\"command\":\"ping\",\"pad\":\"" + std::string(600, 'x') + "\"}";
  CHECK(sh::parseCommand(big.c_str(), big.size()).error == sh::CommandError::Malformed);
}
