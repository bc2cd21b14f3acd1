#include "cli/args.h"

#include <algorithm>
#include <charconv>

namespace haetae::cli {

result<args> args::parse(int argc, char** argv, int first,
                         std::initializer_list<std::string_view> flags) {
  args a;
  for (int i = first; i < argc; ++i) {
    std::string_view s = argv[i];
    if (s == "--") {
      for (++i; i < argc; ++i) a.positional_.emplace_back(argv[i]);
      break;
    }
    if (s.size() > 2 && s.substr(0, 2) == "--") {
      std::string_view body = s.substr(2);
      if (auto eq = body.find('='); eq != std::string_view::npos) {
        a.options_[std::string(body.substr(0, eq))] = std::string(body.substr(eq + 1));
        continue;
      }
      if (std::find(flags.begin(), flags.end(), body) != flags.end()) {
        a.options_[std::string(body)] = "true";
        continue;
      }
      if (i + 1 >= argc) {
        return make_error(errc::invalid_field, "option --" + std::string(body) + " needs a value");
      }
      a.options_[std::string(body)] = argv[++i];
      continue;
    }
    a.positional_.emplace_back(s);
  }
  return a;
}

std::optional<std::string> args::get(std::string_view key) const {
  auto it = options_.find(key);
  if (it == options_.end()) return std::nullopt;
  return it->second;
}

result<long long> args::number(std::string_view key, long long fallback, long long min,
                               long long max) const {
  auto v = get(key);
  if (!v) return fallback;
  long long n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < min || n > max) {
    return make_error(errc::invalid_field, "--" + std::string(key) + " must be a number from " +
                                               std::to_string(min) + " to " + std::to_string(max));
  }
  return n;
}

result<double> args::real(std::string_view key, double fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  try {
    std::size_t used = 0;
    double d = std::stod(*v, &used);
    if (used == v->size() && d > 0) return d;
  } catch (const std::exception&) {
  }
  return make_error(errc::invalid_field, "--" + std::string(key) + " must be a positive number");
}

std::vector<std::string> args::unknown(std::initializer_list<std::string_view> known) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : options_) {
    if (std::find(known.begin(), known.end(), k) == known.end()) out.push_back(k);
  }
  return out;
}

}  // namespace haetae::cli
