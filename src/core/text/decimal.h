#pragma once
// The one spelling of a plain decimal number that segx reads from text (amounts, Unix times):
// [sign] digits [. digits] [e [sign] digits], at least one mantissa digit; no hex, inf or nan.
#include <string_view>

namespace segx {

bool is_plain_decimal(std::string_view s, bool allow_sign);

} // namespace segx
