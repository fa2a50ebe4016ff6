/* wasi_abi.h — the wasi_snapshot_preview1 ABI as the guest sees it: errno
 * values, rights and flag bits, and the byte layout of every structure the
 * host reads or writes in linear memory. Values follow the preview1 witx
 * (typenames.witx); tests/wasi checks them against wasi-libc's <wasi/api.h>. */
#ifndef WEFT_WASI_ABI_H
#define WEFT_WASI_ABI_H

#include <stdint.h>

/* ------------------------------------------------------------- errno */

#define WASI_ERRNO_LIST(X)                                                    \
    X(SUCCESS, 0) X(2BIG, 1) X(ACCES, 2) X(ADDRINUSE, 3) X(ADDRNOTAVAIL, 4)    \
    X(AFNOSUPPORT, 5) X(AGAIN, 6) X(ALREADY, 7) X(BADF, 8) X(BADMSG, 9)        \
    X(BUSY, 10) X(CANCELED, 11) X(CHILD, 12) X(CONNABORTED, 13)               \
    X(CONNREFUSED, 14) X(CONNRESET, 15) X(DEADLK, 16) X(DESTADDRREQ, 17)       \
    X(DOM, 18) X(DQUOT, 19) X(EXIST, 20) X(FAULT, 21) X(FBIG, 22)              \
    X(HOSTUNREACH, 23) X(IDRM, 24) X(ILSEQ, 25) X(INPROGRESS, 26) X(INTR, 27)  \
    X(INVAL, 28) X(IO, 29) X(ISCONN, 30) X(ISDIR, 31) X(LOOP, 32) X(MFILE, 33) \
    X(MLINK, 34) X(MSGSIZE, 35) X(MULTIHOP, 36) X(NAMETOOLONG, 37)             \
    X(NETDOWN, 38) X(NETRESET, 39) X(NETUNREACH, 40) X(NFILE, 41)             \
    X(NOBUFS, 42) X(NODEV, 43) X(NOENT, 44) X(NOEXEC, 45) X(NOLCK, 46)         \
    X(NOLINK, 47) X(NOMEM, 48) X(NOMSG, 49) X(NOPROTOOPT, 50) X(NOSPC, 51)     \
    X(NOSYS, 52) X(NOTCONN, 53) X(NOTDIR, 54) X(NOTEMPTY, 55)                 \
    X(NOTRECOVERABLE, 56) X(NOTSOCK, 57) X(NOTSUP, 58) X(NOTTY, 59)            \
    X(NXIO, 60) X(OVERFLOW, 61) X(OWNERDEAD, 62) X(PERM, 63) X(PIPE, 64)       \
    X(PROTO, 65) X(PROTONOSUPPORT, 66) X(PROTOTYPE, 67) X(RANGE, 68)          \
    X(ROFS, 69) X(SPIPE, 70) X(SRCH, 71) X(STALE, 72) X(TIMEDOUT, 73)          \
    X(TXTBSY, 74) X(XDEV, 75) X(NOTCAPABLE, 76)

enum wasi_errno {
#define WASI_ERRNO_ENUM(name, value) WASI_E##name = value,
    WASI_ERRNO_LIST(WASI_ERRNO_ENUM)
#undef WASI_ERRNO_ENUM
};

/* What a path that would leave its preopen gets: `..` above the root, an
 * absolute path, a symlink to an absolute path or out of the root. Current
 * wasmtime answers EPERM (wasi-filesystem's "not-permitted" rule for path
 * resolution), and wasi-testsuite accepts EPERM or ENOTCAPABLE; we answer
 * EPERM and keep ENOTCAPABLE for missing rights. See docs in core/src/wasi. */
#define WASI_ESCAPE WASI_EPERM

/* ------------------------------------------------------------- rights */

#define WASI_RIGHT_FD_DATASYNC (1ull << 0)
#define WASI_RIGHT_FD_READ (1ull << 1)
#define WASI_RIGHT_FD_SEEK (1ull << 2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define WASI_RIGHT_FD_SYNC (1ull << 4)
#define WASI_RIGHT_FD_TELL (1ull << 5)
#define WASI_RIGHT_FD_WRITE (1ull << 6)
#define WASI_RIGHT_FD_ADVISE (1ull << 7)
#define WASI_RIGHT_FD_ALLOCATE (1ull << 8)
#define WASI_RIGHT_PATH_CREATE_DIRECTORY (1ull << 9)
#define WASI_RIGHT_PATH_CREATE_FILE (1ull << 10)
#define WASI_RIGHT_PATH_LINK_SOURCE (1ull << 11)
#define WASI_RIGHT_PATH_LINK_TARGET (1ull << 12)
#define WASI_RIGHT_PATH_OPEN (1ull << 13)
#define WASI_RIGHT_FD_READDIR (1ull << 14)
#define WASI_RIGHT_PATH_READLINK (1ull << 15)
#define WASI_RIGHT_PATH_RENAME_SOURCE (1ull << 16)
#define WASI_RIGHT_PATH_RENAME_TARGET (1ull << 17)
#define WASI_RIGHT_PATH_FILESTAT_GET (1ull << 18)
#define WASI_RIGHT_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define WASI_RIGHT_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define WASI_RIGHT_FD_FILESTAT_GET (1ull << 21)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE (1ull << 22)
#define WASI_RIGHT_FD_FILESTAT_SET_TIMES (1ull << 23)
#define WASI_RIGHT_PATH_SYMLINK (1ull << 24)
#define WASI_RIGHT_PATH_REMOVE_DIRECTORY (1ull << 25)
#define WASI_RIGHT_PATH_UNLINK_FILE (1ull << 26)
#define WASI_RIGHT_POLL_FD_READWRITE (1ull << 27)
#define WASI_RIGHT_SOCK_SHUTDOWN (1ull << 28)
#define WASI_RIGHT_SOCK_ACCEPT (1ull << 29)
#define WASI_RIGHTS_ALL ((1ull << 30) - 1)

/* Rights that mutate the file system: what a read-only mount never grants. */
#define WASI_RIGHTS_WRITE                                                        \
    (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ALLOCATE | WASI_RIGHT_FD_FILESTAT_SET_SIZE | \
     WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_PATH_CREATE_DIRECTORY |          \
     WASI_RIGHT_PATH_CREATE_FILE | WASI_RIGHT_PATH_LINK_SOURCE |                    \
     WASI_RIGHT_PATH_LINK_TARGET | WASI_RIGHT_PATH_RENAME_SOURCE |                  \
     WASI_RIGHT_PATH_RENAME_TARGET | WASI_RIGHT_PATH_FILESTAT_SET_SIZE |            \
     WASI_RIGHT_PATH_FILESTAT_SET_TIMES | WASI_RIGHT_PATH_SYMLINK |                 \
     WASI_RIGHT_PATH_REMOVE_DIRECTORY | WASI_RIGHT_PATH_UNLINK_FILE)

/* What an open regular file may be granted. */
#define WASI_RIGHTS_FILE                                                           \
    (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK |             \
     WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_TELL |     \
     WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ADVISE | WASI_RIGHT_FD_ALLOCATE |          \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_SIZE |                 \
     WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_POLL_FD_READWRITE)

/* What an open directory may be granted. */
#define WASI_RIGHTS_DIR                                                            \
    (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | \
     WASI_RIGHT_FD_ADVISE | WASI_RIGHT_PATH_CREATE_DIRECTORY |                      \
     WASI_RIGHT_PATH_CREATE_FILE | WASI_RIGHT_PATH_LINK_SOURCE |                    \
     WASI_RIGHT_PATH_LINK_TARGET | WASI_RIGHT_PATH_OPEN | WASI_RIGHT_FD_READDIR |   \
     WASI_RIGHT_PATH_READLINK | WASI_RIGHT_PATH_RENAME_SOURCE |                     \
     WASI_RIGHT_PATH_RENAME_TARGET | WASI_RIGHT_PATH_FILESTAT_GET |                 \
     WASI_RIGHT_PATH_FILESTAT_SET_SIZE | WASI_RIGHT_PATH_FILESTAT_SET_TIMES |       \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_TIMES |                \
     WASI_RIGHT_PATH_SYMLINK | WASI_RIGHT_PATH_REMOVE_DIRECTORY |                   \
     WASI_RIGHT_PATH_UNLINK_FILE)

/* Streams: stdio, pipes, terminals, sockets (sockets add SOCK_*). */
#define WASI_RIGHTS_STREAM                                                         \
    (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_FDSTAT_SET_FLAGS |    \
     WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_FILESTAT_GET |     \
     WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_SOCKET \
    (WASI_RIGHTS_STREAM | WASI_RIGHT_SOCK_SHUTDOWN | WASI_RIGHT_SOCK_ACCEPT)

/* ------------------------------------------------------------- enums */

enum wasi_filetype {
    WASI_FILETYPE_UNKNOWN = 0,
    WASI_FILETYPE_BLOCK_DEVICE = 1,
    WASI_FILETYPE_CHARACTER_DEVICE = 2,
    WASI_FILETYPE_DIRECTORY = 3,
    WASI_FILETYPE_REGULAR_FILE = 4,
    WASI_FILETYPE_SOCKET_DGRAM = 5,
    WASI_FILETYPE_SOCKET_STREAM = 6,
    WASI_FILETYPE_SYMBOLIC_LINK = 7
};

enum wasi_clockid {
    WASI_CLOCK_REALTIME = 0,
    WASI_CLOCK_MONOTONIC = 1,
    WASI_CLOCK_PROCESS_CPUTIME = 2,
    WASI_CLOCK_THREAD_CPUTIME = 3
};

enum wasi_whence { WASI_WHENCE_SET = 0, WASI_WHENCE_CUR = 1, WASI_WHENCE_END = 2 };

enum wasi_advice {
    WASI_ADVICE_NORMAL = 0,
    WASI_ADVICE_SEQUENTIAL = 1,
    WASI_ADVICE_RANDOM = 2,
    WASI_ADVICE_WILLNEED = 3,
    WASI_ADVICE_DONTNEED = 4,
    WASI_ADVICE_NOREUSE = 5
};

enum wasi_eventtype { WASI_EVENT_CLOCK = 0, WASI_EVENT_FD_READ = 1, WASI_EVENT_FD_WRITE = 2 };

#define WASI_FDFLAG_APPEND 0x01
#define WASI_FDFLAG_DSYNC 0x02
#define WASI_FDFLAG_NONBLOCK 0x04
#define WASI_FDFLAG_RSYNC 0x08
#define WASI_FDFLAG_SYNC 0x10
#define WASI_FDFLAGS_ALL 0x1f

#define WASI_FSTFLAG_ATIM 0x1
#define WASI_FSTFLAG_ATIM_NOW 0x2
#define WASI_FSTFLAG_MTIM 0x4
#define WASI_FSTFLAG_MTIM_NOW 0x8

#define WASI_LOOKUP_SYMLINK_FOLLOW 0x1

#define WASI_OFLAG_CREAT 0x1
#define WASI_OFLAG_DIRECTORY 0x2
#define WASI_OFLAG_EXCL 0x4
#define WASI_OFLAG_TRUNC 0x8
#define WASI_OFLAGS_ALL 0xf

#define WASI_RIFLAG_RECV_PEEK 0x1
#define WASI_RIFLAG_RECV_WAITALL 0x2
#define WASI_ROFLAG_RECV_DATA_TRUNCATED 0x1
#define WASI_SDFLAG_RD 0x1
#define WASI_SDFLAG_WR 0x2

#define WASI_SUBCLOCK_ABSTIME 0x1
#define WASI_EVENTRW_HANGUP 0x1

#define WASI_PREOPENTYPE_DIR 0

/* Signals 0..30 (0 is "none", reserved). */
#define WASI_SIGNAL_MAX 30

/* ------------------------------------------------------------- layouts */

/* iovec / ciovec: buf u32 @0, buf_len u32 @4. */
#define WASI_IOVEC_SIZE 8

/* fdstat: fs_filetype u8 @0, fs_flags u16 @2, rights_base u64 @8,
 * rights_inheriting u64 @16. */
#define WASI_FDSTAT_SIZE 24

/* filestat: dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40,
 * mtim @48, ctim @56 (all u64 but filetype). */
#define WASI_FILESTAT_SIZE 64

/* prestat: tag u8 @0, dir.pr_name_len u32 @4. */
#define WASI_PRESTAT_SIZE 8

/* dirent: d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20,
 * then the name (not NUL-terminated). */
#define WASI_DIRENT_SIZE 24

/* subscription: userdata u64 @0, tag u8 @8, then the union @16:
 *   clock: id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40;
 *   fd_read/fd_write: file_descriptor u32 @16. */
#define WASI_SUBSCRIPTION_SIZE 48

/* event: userdata u64 @0, error u16 @8, type u8 @10,
 *   fd_readwrite: nbytes u64 @16, flags u16 @24. */
#define WASI_EVENT_SIZE 32

#endif /* WEFT_WASI_ABI_H */
