#include "http/metrics_exposition.h"

#include <charconv>
#include <cmath>

namespace depot::http {

namespace {

void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    // Whole numbers as integers and everyday magnitudes without an exponent ("0.0005", not
    // "5e-04"); the shortest text that reads back as the same double either way.
    double magnitude = std::fabs(value);
    bool plain = magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e15);
    char buffer[64];
    auto [end, ec] =
        plain ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed)
              : std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, end);
  }
}

void append_count(std::string& out, std::uint64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

// HELP text escapes backslash and line feed; label values also escape the double quote.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void append_labels(std::string& out, const std::vector<std::string>& names,
                   const std::vector<std::string>& values, std::string_view le = {}) {
  if (names.empty() && le.empty()) return;
  out += '{';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
    out += "=\"";
    append_escaped(out, values[i], true);
    out += '"';
  }
  if (!le.empty()) {
    if (!names.empty()) out += ',';
    out += "le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

std::string_view type_name(metrics::MetricType type) {
  switch (type) {
    case metrics::MetricType::counter:
      return "counter";
    case metrics::MetricType::gauge:
      return "gauge";
    case metrics::MetricType::histogram:
      return "histogram";
  }
  return "untyped";
}

void append_histogram(std::string& out, const metrics::FamilySnapshot& family,
                      const metrics::SeriesSnapshot& series) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < series.buckets.size(); ++i) {
    cumulative += series.buckets[i];
    std::string le;
    append_number(le, i < family.bounds.size() ? family.bounds[i] : INFINITY);
    out += family.name;
    out += "_bucket";
    append_labels(out, family.label_names, series.label_values, le);
    out += ' ';
    append_count(out, cumulative);
    out += '\n';
  }
  out += family.name;
  out += "_sum";
  append_labels(out, family.label_names, series.label_values);
  out += ' ';
  append_number(out, series.sum);
  out += '\n';
  out += family.name;
  out += "_count";
  append_labels(out, family.label_names, series.label_values);
  out += ' ';
  append_count(out, cumulative);
  out += '\n';
}

}  // namespace

std::string prometheus_text(const std::vector<metrics::FamilySnapshot>& families) {
  std::string out;
  for (const metrics::FamilySnapshot& family : families) {
    out += "# HELP ";
    out += family.name;
    out += ' ';
    append_escaped(out, family.help, false);
    out += "\n# TYPE ";
    out += family.name;
    out += ' ';
    out += type_name(family.type);
    out += '\n';
    for (const metrics::SeriesSnapshot& series : family.series) {
      if (family.type == metrics::MetricType::histogram) {
        append_histogram(out, family, series);
        continue;
      }
      out += family.name;
      append_labels(out, family.label_names, series.label_values);
      out += ' ';
      append_number(out, series.value);
      out += '\n';
    }
  }
  return out;
}

}  // namespace depot::http
