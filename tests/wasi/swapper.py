"""swapper.py T SECONDS — for run.sh's rename race: keeps swapping
T/root/swap, atomically (renameat2 RENAME_EXCHANGE), between a directory
inside the root and symlinks out of it (one relative, one absolute), until
SECONDS have passed. Creates T/swapping once it runs; prints its count."""
import ctypes
import os
import sys
import time

AT_FDCWD = -100
RENAME_EXCHANGE = 2

t, seconds = sys.argv[1], float(sys.argv[2])
os.chdir(os.path.join(t, "root"))
libc = ctypes.CDLL(None, use_errno=True)
libc.renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                           ctypes.c_uint]

os.unlink("swap")  # make_sandbox_tree's plain link
os.symlink("../outside", "swap_rel")
os.symlink(os.path.join(t, "outside"), "swap_abs")
os.rename("swap_real", "swap")  # the directory itself is "swap" to start with


def exchange(other):
    if libc.renameat2(AT_FDCWD, b"swap", AT_FDCWD, other, RENAME_EXCHANGE) != 0:
        raise OSError(ctypes.get_errno(), "renameat2")


open(os.path.join(t, "swapping"), "w").close()
swaps = 0
end = time.time() + seconds
while time.time() < end:
    for other in (b"swap_rel", b"swap_abs"):
        exchange(other)  # swap is now a link out
        time.sleep(0.0002)
        exchange(other)  # swap is the directory again
        time.sleep(0.0002)
        swaps += 2
print("swapper: %d swaps" % swaps)
