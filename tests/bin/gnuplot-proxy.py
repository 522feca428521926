#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# A stand-in for gnuplot that breaks one chart on purpose, for the report
# failure tests: it runs the real gnuplot (-d) and passes whc's commands to
# it line by line.  whc sends each chart as `load $WHC_SCRIPT[1]`, the
# script's file named in the datablock just before; when that script's
# output name contains PATTERN, the proxy edits the file first:
#   --error PATTERN   after `set output $WHC_OUT[1]` it adds a command
#                     gnuplot rejects (the chart fails; gnuplot goes on
#                     with the next one)
#   --hang PATTERN    it stops passing anything on and waits, so that the
#                     chart never answers (whc must time out, kill this
#                     proxy, whose gnuplot then sees the end of its input,
#                     and start another)
# gnuplot's stderr is this process's, so whc reads gnuplot's own words.
import subprocess
import sys
import time

mode, pattern = sys.argv[1], sys.argv[2]
gp = subprocess.Popen(["gnuplot", "-d"], stdin=subprocess.PIPE)
block = None        # the name of the datablock being read, if any
end = None          # its terminator
script = None       # the last line of the $WHC_SCRIPT datablock


def sabotage(path):
    """Edits the chart script at path if its output name matches."""
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    if not any(pattern.encode() in ln for ln in lines):
        return
    if mode == "--hang":
        while True:
            time.sleep(60)
    out = []
    for ln in lines:
        out.append(ln)
        if ln.startswith(b"set output $WHC_OUT[1]"):
            out.append(b"plot whc_no_such_function(x)")
    with open(path, "wb") as f:
        f.write(b"\n".join(out))


try:
    for line in sys.stdin.buffer:
        text = line.rstrip(b"\n")
        if block is not None:
            if text == end:
                block = None
            elif block == b"$WHC_SCRIPT":
                script = text.decode()
        elif b" << " in text and text.startswith(b"$"):
            block, end = text.split(b" << ", 1)
        elif text == b"load $WHC_SCRIPT[1]" and script is not None:
            sabotage(script)
        gp.stdin.write(line)
        gp.stdin.flush()
    gp.stdin.close()
except BrokenPipeError:
    pass
sys.exit(gp.wait())
