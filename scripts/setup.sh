#!/usr/bin/env bash
# Installs what building and booting a neptune-gen system needs and is not here yet:
# Debian packages (cross compiler, QEMU, CMake, …), the seL4 build's Python modules, the npm
# packages, and the pinned seL4 kernel and libraries (cloned by `neptune-gen deps`; needs a
# network). Each step says what it does; steps with nothing to do are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

step() { printf '\n== %s\n' "$*"; }

apt_pkgs=(git cmake ninja-build gcc g++ gcc-aarch64-linux-gnu g++-aarch64-linux-gnu qemu-system-arm
  device-tree-compiler libxml2-utils cpio python3 python3-pip clang libclang-rt-14-dev dosfstools mtools
  gcc-riscv64-linux-gnu g++-riscv64-linux-gnu qemu-system-misc qemu-system-x86)
missing=()
for p in "${apt_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  step "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
else
  step "Debian packages: all present"
fi

py_ok=1
for m in jinja2 ply yaml jsonschema lxml six elftools pyfdt typing_extensions; do
  python3 -c "import $m" 2>/dev/null || py_ok=0
done
if [ "$py_ok" -eq 0 ]; then
  step "installing the seL4 build's Python modules (pip: sel4-deps pyfdt typing_extensions)"
  python3 -m pip install --user sel4-deps pyfdt typing_extensions ||
    python3 -m pip install --user --break-system-packages sel4-deps pyfdt typing_extensions
else
  step "Python modules: all importable"
fi

if [ ! -d node_modules ]; then
  step "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
else
  step "npm packages: present"
fi

step "seL4 workspace: cloning the pinned set where it is missing (neptune-gen deps)"
node codegen/bin/neptune-gen.js deps

step "checking everything (neptune-gen doctor)"
node codegen/bin/neptune-gen.js doctor
