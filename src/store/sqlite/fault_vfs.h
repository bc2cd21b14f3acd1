#pragma once
// A SQLite VFS for power-cut tests, modelled on leveldb's FaultInjectionTestEnv: a shim over the
// default (unix) VFS that remembers, per file, what was written since the file's last xSync (an
// undo log of overwritten bytes plus the synced size). power_cut() puts every file back to
// exactly its last-synced contents, deletes files that were never synced, and makes all later
// I/O through the VFS fail, as if the machine lost power at that instant.
//
// Test-only: it serialises all writes and syncs through one mutex.
#include <cstdint>
#include <memory>
#include <string>

namespace haetae::store::sqlite {

enum class sync_mode {
  honour,  // xSync makes data durable (the real world with a working disk)
  ignore,  // xSync returns success but makes nothing durable (as if synchronous=OFF): the
           // negative control that proves a power-cut test can fail
};

struct fault_vfs_state;  // fault_vfs.cc

// off: files offer no shared memory, so SQLite cannot use WAL (tests that the store refuses).
enum class shared_memory { on, off };

class fault_vfs {
 public:
  // Registers the VFS under `name` (not as the default). Unregisters on destruction; every
  // connection using it must be closed by then.
  explicit fault_vfs(std::string name, shared_memory shm = shared_memory::on);
  ~fault_vfs();
  fault_vfs(const fault_vfs&) = delete;
  fault_vfs& operator=(const fault_vfs&) = delete;

  const std::string& name() const;
  void set_sync_mode(sync_mode mode);
  void power_cut();
  std::uint64_t syncs() const;  // xSync calls made durable so far

 private:
  std::unique_ptr<fault_vfs_state> s_;
};

}  // namespace haetae::store::sqlite
