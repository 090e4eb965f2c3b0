#pragma once
// Long work cut into steps, so that it runs a slice at a time between frames and the page keeps
// drawing (DESIGN §8: long work never freezes the page). No ImGui and no clock of the frame:
// the owner calls step() with a time budget from its frame (or once with no budget where
// there are no frames: Node, tests) and shows progress() meanwhile.
//
// A job computes something for given inputs (revisions, the model generation, as-of): its
// owner keeps those beside it and starts a new job when they change, which cancels the old one
// (dropping a Job is all it takes: its steps own what they use).
#include <cstddef>
#include <functional>
#include <limits>
#include <vector>

namespace segx {

struct Job {
    std::vector<std::function<void()>> steps; // run in order, one at a time
    size_t done = 0;                          // steps already run
    double work_ms = 0;                       // time spent in steps (not the frames between)

    bool active() const { return done < steps.size(); }
    float progress() const { return steps.empty() ? 1.0f : float(done) / float(steps.size()); }

    // Runs steps until `budget_ms` has passed (always at least one, so every call progresses);
    // returns true when no step is left.
    bool step(double budget_ms);
};

// A budget that lets step() run every remaining step.
constexpr double kNoBudget = std::numeric_limits<double>::infinity();

} // namespace segx
