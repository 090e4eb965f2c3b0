#include "core/lang/predicate.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace core_lang_predicate_narrow_test {

using namespace segx;

namespace {

// The rows of an Int64 column (values as given, all valid) that pass `op values`, by
// predicate_rows (the whole-column pass) and by predicate_row (one row at a time).
std::vector<size_t> passing(const std::vector<int64_t>& values, Op op, std::vector<Scalar> args) {
    Column c;
    c.name = "n";
    c.type = ColumnType::Int64;
    c.append_int64(values.data(), nullptr, 0, values.size());
    ColumnPredicate p;
    std::vector<DefinitionError> errors;
    REQUIRE(compile_predicate(c, "n", op, args, false, "where", errors, &p));
    Bitmap rows = predicate_rows(p, values.size());
    std::vector<size_t> out;
    for (size_t r = 0; r < values.size(); r++) {
        CHECK(rows.get(r) == predicate_row(p, r));
        if (rows.get(r)) out.push_back(r);
    }
    return out;
}

} // namespace

TEST_CASE("integer ranges past a narrow column's type give the same rows as at 64 bits") {
    const std::vector<int64_t> bytes = {-128, -1, 0, 5, 127}; // stored at 1 byte
    CHECK(passing(bytes, Op::Gt, {Scalar::of(1000)}).empty());
    CHECK(passing(bytes, Op::Lte, {Scalar::of(1000)}) == std::vector<size_t>{0, 1, 2, 3, 4});
    CHECK(passing(bytes, Op::Gte, {Scalar::of(-1000)}) == std::vector<size_t>{0, 1, 2, 3, 4});
    CHECK(passing(bytes, Op::Lt, {Scalar::of(-128)}).empty());
    CHECK(passing(bytes, Op::Between, {Scalar::of(-200), Scalar::of(0)}) == std::vector<size_t>{0, 1, 2});
    CHECK(passing(bytes, Op::Between, {Scalar::of(127), Scalar::of(300)}) == std::vector<size_t>{4});
    CHECK(passing(bytes, Op::Neq, {Scalar::of(5)}) == std::vector<size_t>{0, 1, 2, 4});
    CHECK(passing(bytes, Op::Eq, {Scalar::of(300)}).empty());
    CHECK(passing(bytes, Op::Neq, {Scalar::of(300)}) == std::vector<size_t>{0, 1, 2, 3, 4});
    const std::vector<int64_t> shorts = {-32768, 200, 32767}; // 2 bytes
    CHECK(passing(shorts, Op::Gte, {Scalar::of(32767)}) == std::vector<size_t>{2});
    CHECK(passing(shorts, Op::Gt, {Scalar::of(40000)}).empty());
    CHECK(passing(shorts, Op::Lt, {Scalar::of(-40000)}).empty());
    CHECK(passing(shorts, Op::Gt, {Scalar::of(-40000)}) == std::vector<size_t>{0, 1, 2});
}

} // namespace core_lang_predicate_narrow_test
