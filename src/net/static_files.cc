#include "net/static_files.h"

#include <fstream>
#include <sstream>

namespace haetae::net {

std::string_view content_type_of(std::string_view filename) {
  static const std::pair<std::string_view, std::string_view> types[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  for (const auto& [ext, type] : types) {
    if (filename.ends_with(ext)) return type;
  }
  return "application/octet-stream";
}

result<static_files> static_files::load(const std::filesystem::path& root) {
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) {
    return make_error(errc::not_found, "no web client in " + root.string());
  }
  static_files out;
  std::size_t total = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    static_file f;
    f.body = std::move(body).str();
    total += f.body.size();
    if (total > max_total_bytes) {
      return make_error(errc::payload_too_large,
                        "the web client in " + root.string() + " is larger than 64 MiB");
    }
    std::string key = "/" + std::filesystem::relative(it->path(), root).generic_string();
    f.content_type = std::string(content_type_of(key));
    // Vite puts content-hashed names under /assets/: they never change, so cache them for good.
    // Everything else (index.html above all) must be revalidated so a new build shows at once.
    f.cache_control =
        key.starts_with("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    out.files_.emplace(std::move(key), std::move(f));
  }
  if (ec) return make_error(errc::internal, "reading " + root.string() + ": " + ec.message());
  return out;
}

const static_file* static_files::find(std::string_view path) const {
  if (path == "/") path = "/index.html";
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace haetae::net
