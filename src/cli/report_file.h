#pragma once
// What the JSON reports of `haetae bench` and `haetae drill` share: where they are written, the
// date, and the machine they ran on.
#include <boost/json/object.hpp>
#include <string>

namespace haetae::cli {

// The report as one line of JSON; false if it could not be written.
bool write_report(const std::string& path, const boost::json::object& report);
// Now, UTC, e.g. "2026-11-24T10:00:00Z".
std::string utc_timestamp();
// {"nproc": cores, "memory_mib": total RAM}.
boost::json::object machine_facts();

}  // namespace haetae::cli
