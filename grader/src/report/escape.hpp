#pragma once
// Escaping shared by the text formats (XML, HTML, CSV, Markdown). Student text (ids, messages,
// compiler output, printed output) may hold anything: invalid UTF-8, control characters,
// markup. Every writer passes it through one of these before it reaches a file.

#include <string>
#include <string_view>

namespace grader::detail {

/// Valid UTF-8 with no control characters but tab, line feed and carriage return: each invalid
/// byte and each other control character (C0, DEL, C1) becomes U+FFFD. The result is safe as
/// XML 1.0 character data once the markup characters are escaped.
std::string clean_text(std::string_view text);

/// clean_text, then &, <, >, " and ' as character references (XML and HTML, text and
/// attributes). With `attribute`, tab, line feed and carriage return become references too, so
/// that they survive attribute-value normalisation.
std::string xml_escape(std::string_view text, bool attribute = false);

/// One RFC 4180 field: quoted (quotes doubled) when it holds a comma, quote, CR or LF, or
/// starts or ends with a space; clean_text applied first.
std::string csv_field(std::string_view text);

/// Free text (a submission id) for a spreadsheet cell: a leading `'` when it starts with `=`,
/// `+`, `-`, `@`, tab or CR, so that Excel, LibreOffice and Google Sheets show it as text
/// instead of running it as a formula (OWASP's CSV injection advice). Other text is unchanged.
std::string spreadsheet_text(std::string_view text);

/// Text for one Markdown table cell: HTML-escaped, `|` and `\` and backticks escaped, line
/// breaks as spaces.
std::string markdown_cell(std::string_view text);

}  // namespace grader::detail
