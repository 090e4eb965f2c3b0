// Job: long work cut into steps, run a budget at a time (src/app/job.h).
#include "app/job.h"

#include <doctest/doctest.h>

#include <string>

namespace app_job_test {

using namespace segx;

TEST_CASE("a job with no budget runs every step, in order, in one call") {
    std::string trace;
    Job job;
    for (char c : std::string("abc")) job.steps.push_back([&trace, c] { trace += c; });
    CHECK(job.active());
    CHECK(job.progress() == 0.0f);
    CHECK(job.step(kNoBudget));
    CHECK(trace == "abc");
    CHECK_FALSE(job.active());
    CHECK(job.progress() == 1.0f);
}

TEST_CASE("a spent budget still runs one step per call, so every call progresses") {
    std::string trace;
    Job job;
    for (char c : std::string("abcd")) job.steps.push_back([&trace, c] { trace += c; });
    CHECK_FALSE(job.step(0));
    CHECK(trace == "a");
    CHECK(job.progress() == 0.25f);
    CHECK_FALSE(job.step(0));
    CHECK_FALSE(job.step(0));
    CHECK(trace == "abc");
    CHECK(job.step(0));
    CHECK(trace == "abcd");
    CHECK(job.step(0)); // nothing left: runs nothing
    CHECK(trace == "abcd");
}

TEST_CASE("an empty job has nothing to do") {
    Job job;
    CHECK_FALSE(job.active());
    CHECK(job.progress() == 1.0f);
    CHECK(job.step(0));
}

} // namespace app_job_test
