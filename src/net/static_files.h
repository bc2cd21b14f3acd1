#pragma once
// The built web client (web/dist), read into memory once at start so serving a page never
// touches the disk from the event loop. Only files found under the root at start are served:
// a request path is a map key, never a filesystem path, so "../" cannot escape.
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "base/result.h"

namespace haetae::net {

struct static_file {
  std::string body;
  std::string content_type;
  std::string cache_control;
};

class static_files {
 public:
  static constexpr std::size_t max_total_bytes = 64 * 1024 * 1024;

  // Reads every regular file below `root`; errc::not_found if `root` is not a directory.
  static result<static_files> load(const std::filesystem::path& root);

  // "/" is index.html. Null when there is no such file.
  const static_file* find(std::string_view path) const;
  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, static_file, std::less<>> files_;  // "/assets/app-1a2b.js" → file
};

// Content type by file extension ("application/octet-stream" when unknown).
std::string_view content_type_of(std::string_view filename);

}  // namespace haetae::net
