#!/bin/sh
# Installs the Debian packages that kbsim's build and tests need.
#   build-aux/install-deps.sh              install what is missing
#   build-aux/install-deps.sh --check-only exit 1 if anything is missing
#   build-aux/install-deps.sh --fuzz       also clang, for make fuzz
#   build-aux/install-deps.sh --valgrind   also valgrind, for make valgrind
# Runs apt-get directly as root, through sudo otherwise; without either it
# prints the exact command to run and fails.
set -eu

PKGS="libglib2.0-dev libgsl-dev libyaml-dev libcairo2-dev libpango1.0-dev \
libjson-glib-dev pkg-config poppler-utils fonts-dejavu-core perl make gcc \
python3-simpy bc time libopenmpi-dev openmpi-bin"
PCS="glib-2.0 gsl yaml-0.1 cairo pangocairo json-glib-1.0 ompi-c"

missing() {
    command -v pkg-config >/dev/null 2>&1 || return 0
    pkg-config --exists $PCS || return 0
    command -v prove >/dev/null 2>&1 || return 0
    command -v pdftotext >/dev/null 2>&1 || return 0
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || return 0
    # make bench's peer model (SimPy 2) and its arithmetic
    [ -d /usr/lib/python3/dist-packages/SimPy ] || return 0
    command -v bc >/dev/null 2>&1 || return 0
    [ -x /usr/bin/time ] || return 0    # make bench's peak memory
    # Open MPI: ompi-c (above) to build, mpirun for the tests over ranks
    command -v mpirun >/dev/null 2>&1 || return 0
    return 1
}

if [ "${1:-}" = --fuzz ] || [ "${1:-}" = --valgrind ]; then
    tool=${1#--}
    [ "$tool" = fuzz ] && tool=clang
    command -v "$tool" >/dev/null 2>&1 || EXTRA=$tool
    shift
    missing || [ -n "${EXTRA:-}" ] || exit 0
    PKGS="$PKGS ${EXTRA:-}"
elif ! missing; then
    [ "${1:-}" = --check-only ] || echo "kbsim: all build and test packages are installed"
    exit 0
fi
[ "${1:-}" = --check-only ] && exit 1

cmd="apt-get install -y --no-install-recommends $PKGS"
if [ "$(id -u)" = 0 ]; then
    SUDO=
elif command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
else
    echo "kbsim: packages are missing and this user cannot install them." >&2
    echo "Run as root:  apt-get update && $cmd" >&2
    exit 1
fi
echo "kbsim: installing build and test packages: $PKGS"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $PKGS
