"""Confine a parser worker: what a parser fooled by a crafted file could reach once it runs the file's code.

Limits on memory and CPU (in `ocr.sandbox`) stop a file that exhausts the server; they do nothing against a
parser bug that lets the file read or write what it likes. A worker therefore gives itself up before it
parses anything, in layers, each used where the machine offers it (Debian 12 without Docker offers all):

- **Environment**: the secrets the web or flow process was started with (`DACH_S3_SECRET_KEY`, the database
  password) are wiped from the worker's memory, not only from `os.environ`, so `/proc/self/environ` is blank.
- **Files** (Landlock, Linux ≥ 5.13): the worker may read the Python installation, the shared libraries, the
  fonts and dach's parser code, and may read and write only its own empty working folder. The data folder,
  `/etc`, `/proc`, `/home` and every other file on the machine are refused by the kernel.
- **User** (when started as root): the worker drops to `nobody` with no supplementary groups, so even without
  Landlock a root-only file (a key, `/etc/shadow`) stays closed and nothing outside the working folder,
  which it owns, is writable.
- **Network**: a network namespace of its own (no interface but a loopback that is down) where the kernel
  allows one; Landlock refuses TCP besides.
- **Processes and files**: no new processes, threads or programs (a seccomp filter refuses fork, clone,
  exec and ptrace; `RLIMIT_NPROC` is 0 besides), few open files, small written files, no core dumps, and no
  signals or abstract sockets outside its own Landlock domain.

`confine(folder)` runs in the worker once, before its first call; `probe_here` is the worker operation the
tests and `dach doctor`-style checks use to show that a parser in the sandbox cannot reach a file.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import platform
import pwd
import resource
import socket
import stat
import sys
import sysconfig
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# Linux system call numbers (the same on every architecture for these new calls) and flags.
_SYS_LANDLOCK_CREATE_RULESET = 444
_SYS_LANDLOCK_ADD_RULE = 445
_SYS_LANDLOCK_RESTRICT_SELF = 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAPBSET_DROP = 24
_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 22, 2
_SECCOMP_ALLOW, _SECCOMP_ERRNO = 0x7FFF0000, 0x00050000
# Architecture tag and the numbers of fork, vfork, clone, clone3, execve, execveat and ptrace.
_SECCOMP_ARCH = {
    "x86_64": (0xC000003E, (57, 58, 56, 435, 59, 322, 101)),
    "aarch64": (0xC00000B7, (220, 435, 221, 281, 117)),
}
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000

# Landlock file-system rights, by the ABI version that introduced them.
_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_ABI1_ALL = (1 << 13) - 1  # execute … make_sym
_REFER, _TRUNCATE, _IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1
_READ_ONLY = _EXECUTE | _READ_FILE | _READ_DIR

# What a parser needs to read besides Python and dach's parser code: shared libraries loaded late, and the
# system fonts pdfium substitutes for fonts a PDF does not embed (the rendering must not change).
_SYSTEM_READ = ("/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/share/fonts", "/dev/null", "/dev/urandom")
# dach's rooms a parser worker imports from (ocr imports only these; see tests/test_house.py).
_ROOMS = ("schemas", "mrz", "ocr")
_MAX_OPEN_FILES = 64
_MAX_WRITTEN_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Confinement:
    """Which layers a worker runs under (logged once per worker, asserted by the tests)."""

    uid: int  # 65534 (nobody); 0 only without capabilities, where Python lies out of nobody's reach
    landlock_abi: int
    own_network: bool
    environment_wiped: bool
    no_new_processes: bool
    folder: str


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def _wipe_environment(libc: ctypes.CDLL) -> bool:
    """Overwrite every environment string in place (the kernel's `/proc/self/environ` shows that memory)."""
    environ = ctypes.POINTER(ctypes.c_void_p).in_dll(libc, "environ")
    index = 0
    while environ and environ[index]:
        address = environ[index]
        ctypes.memset(address, 0, len(ctypes.string_at(address)))
        index += 1
    libc.clearenv()
    for key in list(os.environ):
        del os.environ[key]
    return True


def _limit(kind: int, value: int) -> None:
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, value))


def _own_network(libc: ctypes.CDLL) -> bool:
    """A network namespace of its own: as root directly, otherwise inside a user namespace if allowed."""
    flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
    return libc.unshare(flags) == 0


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _python_roots() -> list[str]:
    """The Python installation, the environment's packages and dach's parser rooms."""
    paths = sysconfig.get_paths()
    roots = {paths[name] for name in ("stdlib", "platstdlib", "purelib", "platlib") if name in paths}
    for room in _ROOMS:
        module = sys.modules.get(room)
        if module is not None and module.__file__:
            roots.add(str(Path(module.__file__).parent))
    return sorted(root for root in roots if os.path.isdir(root))


def _readable_roots() -> list[str]:
    return _python_roots() + list(_SYSTEM_READ)


def _landlock(libc: ctypes.CDLL, folder: str) -> int:
    """Allow reading the Python installation, libraries and parser code, writing only `folder`: the rest is shut."""
    syscall = libc.syscall
    syscall.restype = ctypes.c_long
    abi = int(syscall(_SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), _LANDLOCK_CREATE_RULESET_VERSION))
    if abi < 1:
        return 0
    handled = _ABI1_ALL | (_REFER if abi >= 2 else 0) | (_TRUNCATE if abi >= 3 else 0)
    handled |= _IOCTL_DEV if abi >= 5 else 0
    attr = _RulesetAttr(handled, _NET_BIND_TCP | _NET_CONNECT_TCP if abi >= 4 else 0, 0)
    if abi >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    ruleset = int(syscall(_SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0))
    if ruleset < 0:
        return 0
    try:
        rules = [(root, _READ_ONLY) for root in _readable_roots()] + [(folder, handled)]
        for path, access in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                is_dir = os.path.isdir(path)
                beneath = _PathBeneath(access & handled if is_dir else access & handled & ~_READ_DIR, fd)
                if syscall(_SYS_LANDLOCK_ADD_RULE, ruleset, _LANDLOCK_RULE_PATH_BENEATH, ctypes.byref(beneath), 0):
                    raise OSError(ctypes.get_errno(), f"landlock rule for {path}")
            finally:
                os.close(fd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) or syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0):
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return abi


def _reachable_by_others(path: str) -> bool:
    """Whether a user with no relation to the owner can open `path` (every folder above it searchable)."""
    current = Path(path).resolve()
    for folder in [current, *current.parents]:
        try:
            mode = folder.stat().st_mode
        except OSError:
            return False
        if not mode & stat.S_IXOTH or (folder == current and not mode & stat.S_IROTH):
            return False
    return True


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _drop_capabilities(libc: ctypes.CDLL) -> None:
    """Keep uid 0 but give up every capability, now and for anything executed later."""
    for capability in range(64):
        libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0)  # EINVAL past the last capability: ignored
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header, data = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0), (_CapData * 2)()
    if libc.capset(ctypes.byref(header), data):
        raise OSError(ctypes.get_errno(), "capset")


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _no_new_processes(libc: ctypes.CDLL) -> bool:
    """A seccomp filter answering EPERM to fork, clone, exec and ptrace (root is exempt from RLIMIT_NPROC)."""
    machine = platform.machine()
    if machine not in _SECCOMP_ARCH:
        return False
    arch, numbers = _SECCOMP_ARCH[machine]
    load, jump_eq, ret = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K
    program = [_SockFilter(load, 0, 0, 4), _SockFilter(jump_eq, 1, 0, arch), _SockFilter(ret, 0, 0, _SECCOMP_ALLOW)]
    program.append(_SockFilter(load, 0, 0, 0))
    for index, number in enumerate(numbers):
        program.append(_SockFilter(jump_eq, len(numbers) - index, 0, number))
    program += [_SockFilter(ret, 0, 0, _SECCOMP_ALLOW), _SockFilter(ret, 0, 0, _SECCOMP_ERRNO | errno.EPERM)]
    filters = (_SockFilter * len(program))(*program)
    fprog = _SockFprog(len(program), filters)
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0


def _give_up_root(libc: ctypes.CDLL, folder: str) -> int:
    """Become `nobody`; where Python itself is installed out of nobody's reach (a developer's home folder),
    stay uid 0 without a single capability instead, and let Landlock keep the files shut."""
    try:
        nobody = pwd.getpwnam("nobody")
        uid, gid = nobody.pw_uid, nobody.pw_gid
    except KeyError:
        uid = gid = 65534
    if not all(_reachable_by_others(root) for root in _python_roots()):
        _drop_capabilities(libc)
        return 0
    os.chown(folder, uid, gid)
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    return uid


def confine(folder: str) -> Confinement:
    """Give up everything a parser does not need; `folder` is the worker's own empty working folder."""
    libc = _libc()
    wiped = _wipe_environment(libc)
    os.environ.update({"TMPDIR": folder, "HOME": folder})
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_NOFILE, _MAX_OPEN_FILES)
    _limit(resource.RLIMIT_FSIZE, _MAX_WRITTEN_BYTES)
    _limit(resource.RLIMIT_NPROC, 0)  # the kernel enforces it for every user but root
    cv2 = sys.modules.get("cv2")
    if cv2 is not None:
        cv2.setNumThreads(1)  # no threads may be started: OpenCV runs its loops in the calling thread
    own_network = _own_network(libc)
    abi = _landlock(libc, folder)
    uid = _give_up_root(libc, folder) if os.geteuid() == 0 else os.geteuid()
    os.umask(0o077)
    os.chdir(folder)
    no_processes = _no_new_processes(libc)
    return Confinement(
        uid=uid,
        landlock_abi=abi,
        own_network=own_network,
        environment_wiped=wiped,
        no_new_processes=no_processes,
        folder=folder,
    )


def _attempt(action: Any) -> str:
    try:
        action()
    except OSError as exc:
        return errno.errorcode.get(exc.errno or 0, "denied")
    return "allowed"


def probe_here(_data: bytes, read_path: str, write_path: str, port: int) -> dict[str, Any]:
    """What code running in a worker can reach (the worker operation `probe`; it parses nothing)."""

    def fork() -> None:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)

    def connect() -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass

    confinement = CONFINEMENT
    return {
        "read": _attempt(lambda: Path(read_path).read_bytes()),
        "write": _attempt(lambda: Path(write_path).write_bytes(b"escaped")),
        "write_own": _attempt(lambda: Path("scratch").write_bytes(b"own folder")),
        "proc_environ": _attempt(lambda: Path("/proc/self/environ").read_bytes()),
        "environment": dict(os.environ),
        "fork": _attempt(fork),
        "connect": _attempt(connect),
        "confinement": asdict(confinement) if confinement else None,
    }


# Set by the worker after `confine` (read by `probe_here`).
CONFINEMENT: Confinement | None = None
