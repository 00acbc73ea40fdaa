# The command line itself: help, version, usage errors.
source "$(dirname "$0")/lib.sh"

run --help
expect_status 0
expect_out "Usage: router"

run --version
expect_status 0
expect_out "router 0.1.0"

run
expect_status 64
expect_err "router: "

run no-such-command
expect_status 64

run --now yesterday --help
expect_status 0

finish
