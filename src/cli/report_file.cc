#include "cli/report_file.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <ctime>
#include <fstream>
#include <thread>

namespace haetae::cli {

bool write_report(const std::string& path, const boost::json::object& report) {
  std::ofstream out(path);
  out << boost::json::serialize(report) << "\n";
  return static_cast<bool>(out);
}

std::string utc_timestamp() {
  std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

boost::json::object machine_facts() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  const long long mib =
      pages > 0 && page_size > 0 ? static_cast<long long>(pages) * page_size / (1024 * 1024) : 0;
  return {{"nproc", std::thread::hardware_concurrency()}, {"memory_mib", mib}};
}

}  // namespace haetae::cli
