#pragma once
// What every fuzz target asserts beyond "no crash, no sanitizer report": a broken invariant
// aborts with a message, which libFuzzer records as a crash with its input.

#include <cstdio>
#include <cstdlib>
#include <string>

#define FUZZ_CHECK(cond, what)                                                                           \
    do {                                                                                                 \
        if (!(cond)) {                                                                                   \
            std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", std::string(what).c_str(), __FILE__, \
                         __LINE__);                                                                      \
            std::abort();                                                                                \
        }                                                                                                \
    } while (0)
