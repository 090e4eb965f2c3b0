#include "core/lang/value.h"

namespace segx {

namespace {

struct OpName {
    Op op;
    const char* name;
};
constexpr OpName kOps[] = {
    {Op::Eq, "eq"},
    {Op::Neq, "neq"},
    {Op::In, "in"},
    {Op::NotIn, "not_in"},
    {Op::Contains, "contains"},
    {Op::NotContains, "not_contains"},
    {Op::StartsWith, "starts_with"},
    {Op::Gt, "gt"},
    {Op::Gte, "gte"},
    {Op::Lt, "lt"},
    {Op::Lte, "lte"},
    {Op::Between, "between"},
    {Op::IsSet, "is_set"},
    {Op::IsNotSet, "is_not_set"},
};

} // namespace

const char* op_name(Op op) {
    for (const OpName& o : kOps)
        if (o.op == op) return o.name;
    return "?";
}

std::optional<Op> op_from_name(std::string_view name) {
    for (const OpName& o : kOps)
        if (name == o.name) return o.op;
    return std::nullopt;
}

Arity op_arity(Op op) {
    switch (op) {
        case Op::IsSet:
        case Op::IsNotSet:
            return Arity::None;
        case Op::In:
        case Op::NotIn:
            return Arity::Many;
        case Op::Between:
            return Arity::Two;
        default:
            return Arity::One;
    }
}

Scalar Scalar::of(std::string s) {
    Scalar v;
    v.kind = Kind::String;
    v.text = std::move(s);
    return v;
}

Scalar Scalar::of(double x) {
    Scalar v;
    v.kind = Kind::Number;
    v.number = x;
    return v;
}

Scalar Scalar::of_bool(bool b) {
    Scalar v;
    v.kind = Kind::Bool;
    v.boolean = b;
    return v;
}

// Only the member of the active kind takes part: a number never differs by a stale text.
bool operator==(const Scalar& a, const Scalar& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case Scalar::Kind::String:
            return a.text == b.text;
        case Scalar::Kind::Number:
            return a.number == b.number;
        case Scalar::Kind::Bool:
            return a.boolean == b.boolean;
    }
    return false;
}

} // namespace segx
