#pragma once
// A fresh temporary folder per test, removed afterwards.

#include <atomic>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace router::test {

// Creates a unique folder under the system temp folder; removes it on destruction.
class TempDir {
public:
  TempDir() {
    static std::atomic<int> counter{0};
    m_path = std::filesystem::temp_directory_path() /
             ("router-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  // The folder.
  const std::filesystem::path& path() const { return m_path; }
  // A path inside it.
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
  std::filesystem::path m_path;
};

}  // namespace router::test
