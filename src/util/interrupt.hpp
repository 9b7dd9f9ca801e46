// Ctrl-C / SIGTERM: set a flag that long-running work polls between units of work.
#pragma once

namespace cinesub::util {

void install_interrupt_handlers();  // SIGINT, SIGTERM; a second SIGINT exits at once (130)
bool interrupted() noexcept;
void request_interrupt() noexcept;  // for tests
void clear_interrupt() noexcept;    // for tests

}  // namespace cinesub::util
