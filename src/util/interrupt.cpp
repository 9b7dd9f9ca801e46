#include "util/interrupt.hpp"

#include <unistd.h>
#include <atomic>
#include <csignal>

namespace cinesub::util {

namespace {
std::atomic<int> g_signals{0};

extern "C" void on_signal(int) {
    if (g_signals.fetch_add(1) >= 1) {
        static const char msg[] = "\ncinesub: interrupted twice, exiting now\n";
        [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
        ::_exit(130);
    }
}
}  // namespace

void install_interrupt_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() noexcept { return g_signals.load() > 0; }
void request_interrupt() noexcept { g_signals.store(1); }
void clear_interrupt() noexcept { g_signals.store(0); }

}  // namespace cinesub::util
