#pragma once
// Amounts written as text by shops and spreadsheets: "¥1,234.50", "$ 12", "1.234,50 €",
// "(12.50)". Read leniently because revenue columns are often exported as formatted text.

#include <cstdint>
#include <string_view>

namespace segx {

enum class AmountText : uint8_t { Empty, Number, Invalid };

// Trims ASCII whitespace; empty text is Empty (a null amount, not an error). Otherwise drops
// one currency sign before or after the number (¥ ￥ $ € £, or 元 after), reads a sign ('-' or
// '+', before or after the currency sign; accounting parentheses mean negative), then
// separators:
//   both ',' and '.'   the later one is the decimal point, the other groups thousands
//                      ("1,234.56", "1.234,56");
//   only ','           thousands when grouped by three ("1,234", "12,345,678"), else a decimal
//                      comma when one comma is followed by 1 or 2 digits ("12,5"), else Invalid;
//   only '.'           a decimal point.
// What remains must be a plain decimal number (digits, optional fraction and exponent).
AmountText parse_amount(std::string_view text, double* out);

} // namespace segx
