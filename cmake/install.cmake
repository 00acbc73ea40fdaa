# Install rules: `cmake --install build --prefix /usr` lays out a working system. The
# program, man page, documentation and completions go under the prefix; the files the
# system reads from fixed places (/etc, /lib/systemd/system, /usr/lib/sysusers.d and
# tmpfiles.d) go there whatever the prefix, and name the program as /usr/bin/router.
include(GNUInstallDirs)

option(ROUTER_COMPLETIONS
  "Generate the shell completions with the built `router completion` and install them" ON)

find_program(ROUTER_GZIP gzip REQUIRED)
set(gen ${PROJECT_BINARY_DIR}/generated)
set(generate ${CMAKE_COMMAND} -DVERSION=${PROJECT_VERSION})
set(generate_script -P ${PROJECT_SOURCE_DIR}/cmake/generate.cmake)  # after the -D options

# --version and the webhooks' User-Agent. Only these two files see the definition, so a new
# version recompiles two files.
set_property(SOURCE ${PROJECT_SOURCE_DIR}/src/cli/app.cpp
  ${PROJECT_SOURCE_DIR}/src/transport/http.cpp APPEND PROPERTY
  COMPILE_DEFINITIONS ROUTER_VERSION="${PROJECT_VERSION}")

# The Debian changelog's latest entry must be this version.
file(STRINGS ${PROJECT_SOURCE_DIR}/packaging/changelog changelog_top LIMIT_COUNT 1)
if(NOT changelog_top MATCHES "^router \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "packaging/changelog: the first entry is not version "
    "${PROJECT_VERSION} (project(VERSION)): add one")
endif()

# Generated files: the man page with the version in its header, gzipped; the changelog,
# gzipped; the installed configuration (the example, database under /var/lib/router).
add_custom_command(OUTPUT ${gen}/router.1.gz
  COMMAND ${generate} -DWHAT=man -DIN=${PROJECT_SOURCE_DIR}/man/router.1 -DOUT=${gen}/router.1
    ${generate_script}
  COMMAND ${ROUTER_GZIP} -9nf ${gen}/router.1
  DEPENDS ${PROJECT_SOURCE_DIR}/man/router.1 ${PROJECT_SOURCE_DIR}/cmake/generate.cmake
  VERBATIM)
add_custom_command(OUTPUT ${gen}/changelog.gz
  COMMAND ${CMAKE_COMMAND} -E copy ${PROJECT_SOURCE_DIR}/packaging/changelog ${gen}/changelog
  COMMAND ${ROUTER_GZIP} -9nf ${gen}/changelog
  DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog
  VERBATIM)
add_custom_command(OUTPUT ${gen}/router.yaml
  COMMAND ${generate} -DWHAT=config -DIN=${PROJECT_SOURCE_DIR}/config.example.yaml
    -DOUT=${gen}/router.yaml ${generate_script}
  DEPENDS ${PROJECT_SOURCE_DIR}/config.example.yaml ${PROJECT_SOURCE_DIR}/cmake/generate.cmake
  VERBATIM)
set(generated ${gen}/router.1.gz ${gen}/changelog.gz ${gen}/router.yaml)

if(ROUTER_COMPLETIONS)
  foreach(shell bash zsh fish)
    add_custom_command(OUTPUT ${gen}/completion.${shell}
      COMMAND ${generate} -DWHAT=completion -DROUTER=$<TARGET_FILE:router>
        -DSHELL_NAME=${shell} -DOUT=${gen}/completion.${shell} ${generate_script}
      DEPENDS router ${PROJECT_SOURCE_DIR}/cmake/generate.cmake
      VERBATIM)
    list(APPEND generated ${gen}/completion.${shell})
  endforeach()
endif()
add_custom_target(router_install_files ALL DEPENDS ${generated})

install(TARGETS router RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${gen}/router.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES README.md ${gen}/changelog.gz packaging/copyright
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES config.example.yaml DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
if(ROUTER_COMPLETIONS)
  install(FILES ${gen}/completion.bash RENAME router
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
  install(FILES ${gen}/completion.zsh RENAME _router
    DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
  install(FILES ${gen}/completion.fish RENAME router.fish
    DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
endif()

# The system's fixed places.
install(FILES ${gen}/router.yaml DESTINATION /etc/router)
install(FILES scripts/router.cron RENAME router DESTINATION /etc/cron.d)
install(FILES packaging/logrotate RENAME router DESTINATION /etc/logrotate.d)
install(FILES scripts/router-sweep.service scripts/router-sweep.timer
  scripts/router-notify.service DESTINATION /lib/systemd/system)
# router-notify.service's environment (webhook secrets): not world-readable; the postinst
# gives it to the router group, which does not exist yet when dpkg unpacks it.
install(FILES packaging/default RENAME router DESTINATION /etc/default
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES packaging/lintian-overrides RENAME router
  DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides)
install(FILES packaging/sysusers.conf RENAME router.conf DESTINATION /usr/lib/sysusers.d)
install(FILES packaging/tmpfiles.conf RENAME router.conf DESTINATION /usr/lib/tmpfiles.d)

# The Debian package: scripts/package.sh (cpack -G DEB).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME router)
set(CPACK_PACKAGE_VENDOR "router maintainers")
set(CPACK_PACKAGE_CONTACT "router maintainers <maintainers@users.noreply.h-seed-a94a0ca0.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "route sales leads to agents and keep the claim promise")
set(CPACK_PACKAGE_DESCRIPTION [[
router decides which salesperson gets each incoming sales lead and keeps that
promise over time: rules in a YAML file send each lead to a pool of agents, the
lead is offered and must be claimed within a window that runs only during
working hours, and unclaimed leads move on. State is one SQLite database.
.
This package runs the sweep every minute as the router system user, from a
systemd timer or, without systemd, from cron. It also ships the service
router-notify, which delivers notifications by mail and webhook once enabled.]])
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps sees only linked libraries: libcurl (CURLOPT_PROTOCOLS_STR, 7.85) and
# libcrypto (libssl3) are loaded with dlopen when a webhook is posted (src/transport/).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, sqlite3, tzdata, libcurl4 (>= 7.85.0), libssl3 (>= 3.0.0)")
# libpq5 is loaded with dlopen for a postgresql:// database only (src/store/pg_connection.cpp).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libpq5")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cron, logrotate")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/packaging/conffiles ${PROJECT_SOURCE_DIR}/packaging/postinst
  ${PROJECT_SOURCE_DIR}/packaging/prerm ${PROJECT_SOURCE_DIR}/packaging/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
include(CPack)
