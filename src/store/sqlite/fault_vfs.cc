#include "store/sqlite/fault_vfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace haetae::store::sqlite {

namespace {

struct undo {
  sqlite3_int64 offset;
  std::string old;  // the bytes that were there (only below the synced size)
};

struct file_state {
  bool durable = false;           // existed at first open, or synced since
  sqlite3_int64 synced_size = 0;  // size at the last sync
  std::vector<undo> undos;        // since the last sync, oldest first
};

}  // namespace

struct fault_vfs_state {
  sqlite3_vfs vfs{};
  sqlite3_vfs* base = nullptr;
  std::string name;
  std::mutex mu;
  std::map<std::string, file_state> files;  // by full path
  std::atomic<bool> dead{false};
  sync_mode mode = sync_mode::honour;
  std::uint64_t syncs = 0;
  const sqlite3_io_methods* methods = nullptr;
};

namespace {

using state = fault_vfs_state;

// SQLite allocates szOsFile bytes: this header, then the base VFS's file object.
struct fault_file {
  sqlite3_file base;
  state* st;
  std::string* path;  // nullptr: not tracked (temp files)
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

fault_file* ff(sqlite3_file* f) { return reinterpret_cast<fault_file*>(f); }
state* st_of(sqlite3_vfs* v) { return static_cast<state*>(v->pAppData); }

sqlite3_int64 real_size(fault_file* f) {
  sqlite3_int64 n = 0;
  if (f->real()->pMethods->xFileSize(f->real(), &n) != SQLITE_OK) return -1;
  return n;
}

// Saves the synced bytes in [from, to) that are about to change. Caller holds st->mu.
int save_undo(fault_file* f, file_state& fs, sqlite3_int64 from, sqlite3_int64 to) {
  sqlite3_int64 size = real_size(f);
  if (size < 0) return SQLITE_IOERR;
  to = std::min({to, size, fs.synced_size});
  if (from >= to) return SQLITE_OK;
  undo u{from, std::string(static_cast<std::size_t>(to - from), '\0')};
  int rc = f->real()->pMethods->xRead(f->real(), u.old.data(), static_cast<int>(to - from), from);
  if (rc != SQLITE_OK) return rc;
  fs.undos.push_back(std::move(u));
  return SQLITE_OK;
}

int x_close(sqlite3_file* file) {
  auto* f = ff(file);
  int rc = f->real()->pMethods->xClose(f->real());
  delete f->path;
  f->path = nullptr;
  return rc;
}

int x_read(sqlite3_file* file, void* buf, int amt, sqlite3_int64 off) {
  auto* f = ff(file);
  if (f->st->dead) return SQLITE_IOERR_READ;
  return f->real()->pMethods->xRead(f->real(), buf, amt, off);
}

int x_write(sqlite3_file* file, const void* buf, int amt, sqlite3_int64 off) {
  auto* f = ff(file);
  std::lock_guard lock(f->st->mu);
  if (f->st->dead) return SQLITE_IOERR_WRITE;
  if (f->path) {
    auto it = f->st->files.find(*f->path);
    if (it != f->st->files.end()) {
      if (int rc = save_undo(f, it->second, off, off + amt); rc != SQLITE_OK) return rc;
    }
  }
  return f->real()->pMethods->xWrite(f->real(), buf, amt, off);
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  auto* f = ff(file);
  std::lock_guard lock(f->st->mu);
  if (f->st->dead) return SQLITE_IOERR_TRUNCATE;
  if (f->path) {
    auto it = f->st->files.find(*f->path);
    if (it != f->st->files.end()) {
      if (int rc = save_undo(f, it->second, size, INT64_MAX); rc != SQLITE_OK) return rc;
    }
  }
  return f->real()->pMethods->xTruncate(f->real(), size);
}

int x_sync(sqlite3_file* file, int flags) {
  auto* f = ff(file);
  std::lock_guard lock(f->st->mu);
  if (f->st->dead) return SQLITE_IOERR_FSYNC;
  if (f->st->mode == sync_mode::ignore) return SQLITE_OK;
  int rc = f->real()->pMethods->xSync(f->real(), flags);
  if (rc != SQLITE_OK) return rc;
  ++f->st->syncs;
  if (f->path) {
    auto it = f->st->files.find(*f->path);
    if (it != f->st->files.end()) {
      sqlite3_int64 size = real_size(f);
      if (size < 0) return SQLITE_IOERR_FSYNC;
      it->second = file_state{true, size, {}};
    }
  }
  return SQLITE_OK;
}

int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  auto* f = ff(file);
  if (f->st->dead) return SQLITE_IOERR_FSTAT;
  return f->real()->pMethods->xFileSize(f->real(), size);
}

int x_lock(sqlite3_file* file, int l) {
  return ff(file)->real()->pMethods->xLock(ff(file)->real(), l);
}
int x_unlock(sqlite3_file* file, int l) {
  return ff(file)->real()->pMethods->xUnlock(ff(file)->real(), l);
}
int x_check_reserved(sqlite3_file* file, int* out) {
  return ff(file)->real()->pMethods->xCheckReservedLock(ff(file)->real(), out);
}
int x_file_control(sqlite3_file* file, int op, void* arg) {
  return ff(file)->real()->pMethods->xFileControl(ff(file)->real(), op, arg);
}
int x_sector_size(sqlite3_file* file) {
  return ff(file)->real()->pMethods->xSectorSize(ff(file)->real());
}
int x_device_characteristics(sqlite3_file* file) {
  return ff(file)->real()->pMethods->xDeviceCharacteristics(ff(file)->real());
}
int x_shm_map(sqlite3_file* file, int pg, int pgsz, int extend, void volatile** pp) {
  auto* f = ff(file);
  if (f->st->dead) return SQLITE_IOERR_SHMMAP;
  return f->real()->pMethods->xShmMap(f->real(), pg, pgsz, extend, pp);
}
int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  return ff(file)->real()->pMethods->xShmLock(ff(file)->real(), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* file) {
  ff(file)->real()->pMethods->xShmBarrier(ff(file)->real());
}
int x_shm_unmap(sqlite3_file* file, int del) {
  return ff(file)->real()->pMethods->xShmUnmap(ff(file)->real(), del);
}

// Version 2: shared memory (WAL) but no xFetch, so every read goes through xRead.
const sqlite3_io_methods io_methods = {
    2,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    nullptr,
    nullptr,
};

// Version 1: no shared memory, hence no WAL.
const sqlite3_io_methods io_methods_no_shm = {
    1,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

constexpr int tracked_kinds =
    SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL;

int v_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  state* st = st_of(vfs);
  auto* f = ff(file);
  f->base.pMethods = nullptr;
  f->st = st;
  f->path = nullptr;
  if (st->dead) return SQLITE_CANTOPEN;
  bool tracked = name && (flags & tracked_kinds);
  bool existed = tracked && access(name, F_OK) == 0;
  int rc = st->base->xOpen(st->base, name, f->real(), flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  f->base.pMethods = st->methods;
  if (tracked) {
    f->path = new std::string(name);
    std::lock_guard lock(st->mu);
    if (!st->files.count(*f->path)) {
      file_state fs;
      fs.durable = existed;
      fs.synced_size = existed ? std::max<sqlite3_int64>(real_size(f), 0) : 0;
      st->files.emplace(*f->path, std::move(fs));
    }
  }
  return SQLITE_OK;
}

int v_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  state* st = st_of(vfs);
  std::lock_guard lock(st->mu);
  if (st->dead) return SQLITE_IOERR_DELETE;
  st->files.erase(name);
  return st->base->xDelete(st->base, name, sync_dir);
}

int v_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return st_of(vfs)->base->xAccess(st_of(vfs)->base, name, flags, out);
}
int v_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return st_of(vfs)->base->xFullPathname(st_of(vfs)->base, name, n, out);
}
void* v_dl_open(sqlite3_vfs* vfs, const char* name) {
  return st_of(vfs)->base->xDlOpen(st_of(vfs)->base, name);
}
void v_dl_error(sqlite3_vfs* vfs, int n, char* out) {
  st_of(vfs)->base->xDlError(st_of(vfs)->base, n, out);
}
void (*v_dl_sym(sqlite3_vfs* vfs, void* h, const char* sym))(void) {
  return st_of(vfs)->base->xDlSym(st_of(vfs)->base, h, sym);
}
void v_dl_close(sqlite3_vfs* vfs, void* h) { st_of(vfs)->base->xDlClose(st_of(vfs)->base, h); }
int v_randomness(sqlite3_vfs* vfs, int n, char* out) {
  return st_of(vfs)->base->xRandomness(st_of(vfs)->base, n, out);
}
int v_sleep(sqlite3_vfs* vfs, int us) { return st_of(vfs)->base->xSleep(st_of(vfs)->base, us); }
int v_current_time(sqlite3_vfs* vfs, double* out) {
  return st_of(vfs)->base->xCurrentTime(st_of(vfs)->base, out);
}
int v_get_last_error(sqlite3_vfs* vfs, int n, char* out) {
  return st_of(vfs)->base->xGetLastError(st_of(vfs)->base, n, out);
}
int v_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return st_of(vfs)->base->xCurrentTimeInt64(st_of(vfs)->base, out);
}

}  // namespace

fault_vfs::fault_vfs(std::string name, shared_memory shm)
    : s_(std::make_unique<fault_vfs_state>()) {
  s_->name = std::move(name);
  s_->methods = shm == shared_memory::on ? &io_methods : &io_methods_no_shm;
  s_->base = sqlite3_vfs_find(nullptr);
  if (!s_->base) throw std::runtime_error("fault_vfs: no default VFS");
  sqlite3_vfs& v = s_->vfs;
  v.iVersion = 2;
  v.szOsFile = static_cast<int>(sizeof(fault_file)) + s_->base->szOsFile;
  v.mxPathname = s_->base->mxPathname;
  v.zName = s_->name.c_str();
  v.pAppData = s_.get();
  v.xOpen = v_open;
  v.xDelete = v_delete;
  v.xAccess = v_access;
  v.xFullPathname = v_full_pathname;
  v.xDlOpen = v_dl_open;
  v.xDlError = v_dl_error;
  v.xDlSym = v_dl_sym;
  v.xDlClose = v_dl_close;
  v.xRandomness = v_randomness;
  v.xSleep = v_sleep;
  v.xCurrentTime = v_current_time;
  v.xGetLastError = v_get_last_error;
  v.xCurrentTimeInt64 = v_current_time_int64;
  if (sqlite3_vfs_register(&v, 0) != SQLITE_OK) {
    throw std::runtime_error("fault_vfs: cannot register " + s_->name);
  }
}

fault_vfs::~fault_vfs() { sqlite3_vfs_unregister(&s_->vfs); }

const std::string& fault_vfs::name() const { return s_->name; }

void fault_vfs::set_sync_mode(sync_mode mode) {
  std::lock_guard lock(s_->mu);
  s_->mode = mode;
}

std::uint64_t fault_vfs::syncs() const {
  std::lock_guard lock(s_->mu);
  return s_->syncs;
}

void fault_vfs::power_cut() {
  std::lock_guard lock(s_->mu);
  s_->dead = true;
  for (auto& [path, fs] : s_->files) {
    if (!fs.durable) {
      ::unlink(path.c_str());
      continue;
    }
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) continue;
    for (auto it = fs.undos.rbegin(); it != fs.undos.rend(); ++it) {
      if (::pwrite(fd, it->old.data(), it->old.size(), it->offset) < 0) break;
    }
    if (::ftruncate(fd, fs.synced_size) != 0) {
      // The file keeps unsynced bytes beyond its synced size; recovery must cope with them.
    }
    ::close(fd);
  }
  s_->files.clear();
}

}  // namespace haetae::store::sqlite
