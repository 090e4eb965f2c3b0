#pragma once
// A Model as bytes: what a build in one place (the WASM module over DuckDB-loaded data) hands
// to another (the native build), so that both can evaluate the same audiences over the same
// data. Versioned little-endian binary with explicit 64-bit sizes, so wasm32 and x86-64 agree.
//
// Holds everything evaluation reads: users, event names, order ids, the event store, the
// attributes and their sources, the purchase event, min/max time, the user aggregates and which
// attributes come from events (Model::derived, version 2).
// Derived structures (the event index) are rebuilt on reading, not stored.

#include "core/model/model.h"

#include <string>
#include <string_view>

namespace segx {

std::string serialize_model(const Model& model);

// Throws std::invalid_argument naming what is wrong (and where) for a truncated, corrupt or
// foreign blob, or one of another format version.
Model deserialize_model(std::string_view bytes);

} // namespace segx
