#include "config/loader.hpp"

#include <cerrno>
#include <fstream>
#include <memory>
#include <sstream>
#include <system_error>

#include <yaml-cpp/yaml.h>

#include "config/build_model.hpp"
#include "config/byte_io.hpp"
#include "config/validate.hpp"
#include "config/yaml_documents.hpp"
#include "config/yaml_tabs.hpp"
#include "config/yaml_walk.hpp"

namespace router::config {
namespace {

core::Location mark_location(const YAML::Mark& mark) {
  return mark.is_null() ? core::Location{} : core::Location{mark.line + 1, mark.column + 1};
}

// Why a file could not be reached or opened, for the message: "permission denied" for a
// file or folder the user may not read, rather than saying the file does not exist.
std::string cannot_read(const std::error_code& ec) {
  if (ec == std::errc::permission_denied || ec == std::errc::operation_not_permitted) {
    return "permission denied";
  }
  return ec.message();
}

// The file's text; nullopt after reporting when it cannot be read.
std::optional<std::string> read_file(const std::filesystem::path& file, Sink& sink) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) {
    sink.error({}, "cannot read the configuration file: " + cannot_read(ec));
    return std::nullopt;
  }
  if (!std::filesystem::exists(status)) {
    sink.error({}, "cannot read the configuration file: it does not exist "
                   "(give one with --config or $ROUTER_CONFIG)");
    return std::nullopt;
  }
  if (std::filesystem::is_directory(status)) {
    sink.error({}, "cannot read the configuration file: it is a directory");
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    sink.error({}, "cannot read the configuration file: " +
                       cannot_read(std::error_code(errno, std::generic_category())));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The single YAML document of the file; nullopt after reporting syntax errors. The documents
// are counted first (see yaml_documents.hpp): YAML::LoadAll never returns on some of them.
std::optional<YAML::Node> parse(const std::string& text, Sink& sink) {
  DocumentScan scan;
  YAML::Node root;
  try {
    scan = scan_documents(text);
    if (!scan.stuck && scan.count == 1) {
      root = YAML::Load(text);
    }
  } catch (const YAML::Exception& e) {
    // yaml-cpp's message for a tab in indentation names a symptom, not the tab.
    auto tab = find_indentation_tab(text);
    if (!e.mark.is_null() && (!tab || tab->line > e.mark.line + 1)) {
      tab = find_tab_after_dash(text, e.mark.line + 1);
    }
    if (tab && (e.mark.is_null() || tab->line <= e.mark.line + 1)) {
      sink.error(*tab, "tab character in indentation (YAML indents with spaces only)");
    } else {
      sink.error(mark_location(e.mark), "YAML syntax: " + e.msg);
    }
    return std::nullopt;
  }
  if (scan.stuck) {
    sink.error(*scan.stuck, scan.stuck_message);
    return std::nullopt;
  }
  if (scan.count > 1) {
    sink.error(scan.second, "a second YAML document: the configuration must be a single document");
    return std::nullopt;
  }
  if (scan.count == 0 || root.IsNull()) {
    sink.error({}, "the configuration file is empty; it needs at least 'version: 1'");
    return std::nullopt;
  }
  return root;
}

// GitHub workflow commands treat %, CR and LF specially, and also : and , in properties.
std::string escape_github(const std::string& s, bool property) {
  std::string out;
  for (const char c : s) {
    switch (c) {
    case '%': out += "%25"; break;
    case '\r': out += "%0D"; break;
    case '\n': out += "%0A"; break;
    case ':': out += property ? "%3A" : ":"; break;
    case ',': out += property ? "%2C" : ","; break;
    default: out += c;
    }
  }
  return out;
}

}  // namespace

std::size_t LoadResult::count(Diagnostic::Severity severity) const {
  std::size_t n = 0;
  for (const auto& d : diagnostics) {
    n += d.severity == severity ? 1 : 0;
  }
  return n;
}

LoadResult load(const std::filesystem::path& file) {
  Sink sink(file.string());
  const auto text = read_file(file, sink);
  if (!text) {
    LoadResult result;
    result.diagnostics = sink.take();
    return result;
  }
  return load_text(*text, file);
}

LoadResult load_text(const std::string& text, const std::filesystem::path& file) {
  LoadResult result;
  Sink sink(file.string());
  const auto root = parse(text, sink);
  if (root) {
    try {
      Built built = build_model(*root, file, sink);
      validate(built, sink);
      built.config.reindex();
      if (!sink.has_errors()) {
        result.config = std::move(built.config);
        auto owned = std::make_shared<const std::string>(text);
        result.config->source_text = *owned;
        result.config->source_owner = std::move(owned);
        result.config->source_hash = hash64(text);
      }
    } catch (const YAML::Exception& e) {
      // The walk checks every shape first; this is a last resort, still with a location.
      sink.error(mark_location(e.mark), e.msg);
    }
  }
  result.diagnostics = sink.take();
  return result;
}

std::string format_text(const Diagnostic& d) {
  std::string out = d.file;
  if (d.line > 0) {
    out += ":" + std::to_string(d.line);
    if (d.column > 0) {
      out += ":" + std::to_string(d.column);
    }
  }
  out += d.severity == Diagnostic::Severity::error ? ": error: " : ": warning: ";
  return out + d.message;
}

std::string format_github(const Diagnostic& d) {
  std::string out = d.severity == Diagnostic::Severity::error ? "::error file=" : "::warning file=";
  out += escape_github(d.file, true);
  if (d.line > 0) {
    out += ",line=" + std::to_string(d.line);
    if (d.column > 0) {
      out += ",col=" + std::to_string(d.column);
    }
  }
  return out + "::" + escape_github(d.message, false);
}

}  // namespace router::config
