#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# A stand-in for gnuplot that breaks one chart on purpose, for the report
# failure tests: it runs the real gnuplot (-d) and passes whc's script to
# it line by line, except that after `set output $WHC_OUT[1]` of a chart
# whose output name contains PATTERN it adds one line:
#   --error PATTERN   a command gnuplot rejects (the chart fails; gnuplot
#                     goes on with the next one)
#   --hang PATTERN    an unclosed `if (1) {`, so that gnuplot swallows the
#                     rest and never answers (whc must time out, kill it
#                     and start another)
# gnuplot's stderr is this process's, so whc reads gnuplot's own words.
import subprocess
import sys

mode, pattern = sys.argv[1], sys.argv[2]
gp = subprocess.Popen(["gnuplot", "-d"], stdin=subprocess.PIPE)
armed = False
try:
    for line in sys.stdin.buffer:
        if pattern.encode() in line:
            armed = True
        gp.stdin.write(line)
        if armed and line.startswith(b"set output $WHC_OUT[1]"):
            armed = False
            if mode == "--error":
                gp.stdin.write(b"plot whc_no_such_function(x)\n")
            else:
                gp.stdin.write(b"if (1) {\n")
        gp.stdin.flush()
    gp.stdin.close()
except BrokenPipeError:
    pass
sys.exit(gp.wait())
