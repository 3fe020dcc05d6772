# SPDX-License-Identifier: Apache-2.0
# The client of the live test "reauth": connects, sends a line, waits for the GO file to
# appear (the test adds a block filter meanwhile), sends another line, and prints what the
# socket then did: "read: ..." or "error: ERRNO text". Bounded: 10 s connect, 20 s wait, 5 s read.
import os
import socket
import sys
import time

host, port, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]
conn = socket.create_connection((host, port), timeout=10)
conn.sendall(b"before the change\n")
deadline = time.monotonic() + 20
while not os.path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.05)
try:
    conn.sendall(b"after the change\n")
    conn.settimeout(5)
    print("read:", conn.recv(100), flush=True)
except OSError as error:
    print("error:", error.errno, os.strerror(error.errno or 0), flush=True)
