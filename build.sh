#!/usr/bin/env bash
# The repository's build entry point. `./build.sh test` installs what the tests need that the .NET SDK does not
# bring (Debian's Chromium, which renders the HTML report in the report test), then runs `dotnet test Harness.sln`
# with any further arguments.
set -euo pipefail
cd "$(dirname "$0")"

install_chromium() {
    if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then return; fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "build.sh: the report test needs Chromium; install it as root: apt-get install chromium" >&2; exit 1; }
        sudo=sudo
    fi
    command -v apt-get >/dev/null || { echo "build.sh: the report test needs Chromium, and this machine has no apt-get: install chromium with its package manager" >&2; exit 1; }
    echo "build.sh: installing Chromium (Debian's package) for the report test" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

case "${1:-}" in
    test)
        shift
        install_chromium
        exec dotnet test Harness.sln "$@"
        ;;
    *)
        echo "usage: ./build.sh test [dotnet test arguments]" >&2
        exit 2
        ;;
esac
