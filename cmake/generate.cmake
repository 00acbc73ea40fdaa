# Build-time generation of installed files, run as `cmake -DWHAT=... -DIN=... -DOUT=... -P`.
#   WHAT=man         IN: man/router.1; the .TH line's source field becomes "router VERSION".
#   WHAT=config      IN: config.example.yaml; `database:` becomes /var/lib/router/router.db.
#   WHAT=completion  ROUTER: the built binary, SHELL_NAME: bash|zsh|fish; its output.
cmake_minimum_required(VERSION 3.20)

if(WHAT STREQUAL "man")
  file(READ "${IN}" text)
  string(REGEX REPLACE "(\n?\\.TH [^\n\"]+ \"[^\"\n]*\") \"router [^\"\n]*\""
         "\\1 \"router ${VERSION}\"" out "${text}")
  if(out STREQUAL text AND NOT text MATCHES "\\.TH [^\n]*\"router ${VERSION}\"")
    message(FATAL_ERROR "${IN}: no .TH line with a \"router VERSION\" field")
  endif()
  file(WRITE "${OUT}" "${out}")
elseif(WHAT STREQUAL "config")
  file(READ "${IN}" text)
  string(REGEX REPLACE "\ndatabase: [^ \n]+" "\ndatabase: /var/lib/router/router.db" out
         "${text}")
  if(NOT out MATCHES "\ndatabase: /var/lib/router/router.db")
    message(FATAL_ERROR "${IN}: no top-level `database:` line")
  endif()
  file(WRITE "${OUT}" "${out}")
elseif(WHAT STREQUAL "completion")
  execute_process(COMMAND "${ROUTER}" completion "${SHELL_NAME}" OUTPUT_FILE "${OUT}.tmp"
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    file(REMOVE "${OUT}.tmp")
    message(FATAL_ERROR "`router completion ${SHELL_NAME}` failed (${status}); "
                        "configure with -DROUTER_COMPLETIONS=OFF to build without completions")
  endif()
  file(RENAME "${OUT}.tmp" "${OUT}")
else()
  message(FATAL_ERROR "generate.cmake: unknown WHAT=${WHAT}")
endif()
