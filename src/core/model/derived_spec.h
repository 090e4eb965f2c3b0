#pragma once
// The workspace's description of one attribute from events (derived.h has the rules).

#include <cstdint>
#include <string>
#include <string_view>

namespace segx {

enum class DerivedPick : uint8_t { Latest, First, MostFrequent };

const char* pick_name(DerivedPick pick); // "latest", "first", "most_frequent"
bool parse_pick(std::string_view text, DerivedPick* out);

struct DerivedSpec {
    std::string name;     // the attribute's name
    std::string event;    // only this event's values; "" = every event
    std::string property; // the event property
    DerivedPick pick = DerivedPick::Latest;
    bool automatic = false; // found by derive_attributes (not written in the workspace)

    bool operator==(const DerivedSpec& o) const {
        return name == o.name && event == o.event && property == o.property && pick == o.pick &&
               automatic == o.automatic;
    }
};

} // namespace segx
