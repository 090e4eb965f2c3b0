#include "app/job.h"

#include <chrono>

namespace segx {

bool Job::step(double budget_ms) {
    using Clock = std::chrono::steady_clock;
    const Clock::time_point start = Clock::now();
    double elapsed = 0;
    while (done < steps.size()) {
        steps[done++]();
        elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        if (elapsed >= budget_ms) break;
    }
    work_ms += elapsed;
    return !active();
}

} // namespace segx
