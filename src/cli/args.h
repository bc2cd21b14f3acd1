#pragma once
// A small command-line reader for the subcommands: positionals, `--key value`, `--key=value` and
// boolean `--flag`s (which must be named up front so `--flag positional` is not misread).
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace haetae::cli {

class args {
 public:
  // argv[first…] are parsed; `flags` are the options that take no value.
  static result<args> parse(int argc, char** argv, int first,
                            std::initializer_list<std::string_view> flags = {});

  const std::vector<std::string>& positional() const { return positional_; }
  std::optional<std::string> get(std::string_view key) const;
  bool flag(std::string_view key) const { return get(key).has_value(); }
  // A numeric option; errc::invalid_field if present but not a number in [min, max].
  result<long long> number(std::string_view key, long long fallback, long long min,
                           long long max) const;
  result<double> real(std::string_view key, double fallback) const;
  // Options not in `known`, to reject typos.
  std::vector<std::string> unknown(std::initializer_list<std::string_view> known) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string, std::less<>> options_;
};

}  // namespace haetae::cli
