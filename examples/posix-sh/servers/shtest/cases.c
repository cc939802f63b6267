/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shell's test cases: a script, how the shell gets it, and the transcript it must print
 * (its stdout and stderr on one pipe, so in the order written) with its exit status. Every
 * feature of the shell has a case here. shtest (main.c) creates /tmp/shdir before the first.
 *
 * Two things of the layer shape the cases: a child starts in / (posix_spawn does not hand it the
 * working directory), so relative paths are opened by the shell (`t_cat < pwd.txt`); and a
 * killed process's descriptors stay open, so the jobs killed here write to /dev/null (else the
 * transcript's pipe would never reach end of file). An empty argument ("") is refused by the
 * root server's spawn (E2BIG), so no case passes one.
 */
#include "cases.h"

const shtest_case_t shtest_cases[] = {
    {"comments, quotes and escapes", RUN_SCRIPT, "one two",
     "# a comment line\n"
     "t_echo hello   world # a trailing comment\n"
     "t_echo -a 'single $HOME \"x\"' \"double 'y'\" a\\ b \"a\"\"b\" 'it''s' \"a\\\"b\\\\c\"\n"
     "t_echo -a $0 $1 $2 $#\n",
     "hello world\n"
     "[single $HOME \"x\"] [double 'y'] [a b] [ab] [its] [a\"b\\c]\n"
     "[/tmp/case.sh] [one] [two] [2]\n",
     0},
    {"variables", RUN_SCRIPT, "",
     "NAME=neptune\n"
     "t_echo \"$NAME\" ${NAME}-gen \"${NAME}s\" '$NAME' \\$NAME $\n"
     "t_echo -a $UNSET_VAR end x\"$UNSET_VAR\"y\n"
     "A=1 B=2; t_echo $A$B\n"
     "t_echo pid $$\n",
     "neptune neptune-gen neptunes $NAME $NAME $\n"
     "[end] [xy]\n"
     "12\n"
     "pid %PID%\n",
     0},
    {"statuses, ;, && and ||", RUN_SCRIPT, "",
     "t_exit 3\n"
     "t_echo status $?\n"
     "t_exit 0 && t_echo and after success\n"
     "t_exit 1 && t_echo never\n"
     "t_exit 1 || t_echo or after failure\n"
     "t_exit 0 || t_echo never\n"
     "t_exit 2; t_echo after semicolon $?\n"
     "false || true && t_echo chain $?\n"
     "t_exit 1 && t_echo never || t_echo skipped then or\n"
     "t_exit 4\n",
     "status 3\n"
     "and after success\n"
     "or after failure\n"
     "after semicolon 2\n"
     "chain 0\n"
     "skipped then or\n",
     4},
    {"errors, cd and pwd", RUN_SCRIPT, "",
     "nope arg\n"
     "t_echo $?\n"
     "cd /nowhere\n"
     "t_echo $?\n"
     "cd /tmp/shdir && pwd\n"
     "cd ..; pwd\n"
     "pwd | t_upper\n"
     "t_echo bad > /nodir/x\n"
     "t_echo $?\n"
     "export 1x=y\n"
     "t_echo $?\n",
     "sh: nope: not found\n"
     "127\n"
     "sh: cd: /nowhere: No such file or directory\n"
     "1\n"
     "/tmp/shdir\n"
     "/tmp\n"
     "/TMP\n"
     "sh: /nodir/x: No such file or directory\n"
     "1\n"
     "sh: export: `1x=y': not a valid identifier\n"
     "1\n",
     0},
    {"pipelines", RUN_SCRIPT, "",
     "t_echo one two three | t_upper | t_cat\n"
     "t_echo x | t_exit 4; t_echo status $?\n"
     "t_exit 4 | t_echo last\n"
     "t_echo status $?\n"
     "t_echo a|t_upper|t_cat|t_cat\n",
     "ONE TWO THREE\n"
     "status 4\n"
     "last\n"
     "status 0\n"
     "A\n",
     0},
    {"redirections into /tmp and /disk", RUN_SCRIPT, "",
     "t_echo first > /tmp/r.txt\n"
     "t_echo second >> /tmp/r.txt\n"
     "t_cat < /tmp/r.txt\n"
     "t_echo disk > /disk/r.txt\n"
     "t_echo disk again >>/disk/r.txt\n"
     "t_upper < /disk/r.txt > /tmp/up.txt\n"
     "t_cat /tmp/up.txt\n"
     "t_echo replaced > /disk/r.txt; t_cat /disk/r.txt\n"
     "t_cat /nope 2> /tmp/err.txt\n"
     "t_echo status $?\n"
     "t_cat /tmp/err.txt\n"
     "t_cat /nope 2>&1 | t_upper\n"
     "cd /tmp; pwd > pwd.txt; t_cat < pwd.txt\n"
     "> /tmp/empty.txt; t_cat /tmp/empty.txt\n"
     "t_cat < /nope\n"
     "t_echo $?\n",
     "first\n"
     "second\n"
     "DISK\n"
     "DISK AGAIN\n"
     "replaced\n"
     "status 1\n"
     "t_cat: /nope: No such file or directory\n"
     "T_CAT: /NOPE: NO SUCH FILE OR DIRECTORY\n"
     "/tmp\n"
     "sh: /nope: No such file or directory\n"
     "1\n",
     0},
    {"export into a child's environment", RUN_SCRIPT, "",
     "t_echo inherited $GREETING\n"
     "SHVAR=local\n"
     "t_env SHVAR\n"
     "export SHVAR\n"
     "t_env SHVAR\n"
     "export OTHER=exported\n"
     "t_env OTHER\n"
     "ONCE=just-this t_env ONCE OTHER\n"
     "t_env ONCE\n"
     "t_env -p\n",
     "inherited hello\n"
     "SHVAR unset\n"
     "SHVAR=local\n"
     "OTHER=exported\n"
     "ONCE=just-this\n"
     "OTHER=exported\n"
     "ONCE unset\n"
     "ppid=%PID%\n",
     0},
    {"background jobs, jobs, kill and wait", RUN_SCRIPT, "",
     "t_pause > /dev/null 2>&1 &\n"
     "jobs\n"
     "kill %1\n"
     "wait %1\n"
     "t_echo killed $?\n"
     "jobs\n"
     "t_exit 5 &\n"
     "wait %1; t_echo waited $?\n"
     "t_exit 6 &\n"
     "wait $!; t_echo waited for the pid $?\n"
     "t_pause >/dev/null 2>&1 & t_pause 2>/dev/null | t_cat >/dev/null 2>&1 &\n"
     "jobs\n"
     "kill %1 %2\n"
     "wait\n"
     "jobs\n"
     "kill %3\n"
     "t_echo $?\n"
     "kill -INT %9\n",
     "[1] Running t_pause\n"
     "killed 143\n"
     "waited 5\n"
     "waited for the pid 6\n"
     "[1] Running t_pause\n"
     "[2] Running t_pause | t_cat\n"
     "sh: kill: %3: no such job\n"
     "1\n"
     "sh: kill: %9: no such job\n",
     1},
    {"exit ends the script", RUN_SCRIPT, "",
     "t_echo before\n"
     "exit 7\n"
     "t_echo never\n",
     "before\n",
     7},
    {"a syntax error ends the script", RUN_SCRIPT, "",
     "t_echo a | | t_echo b\n"
     "t_echo never\n",
     "sh: syntax error near `|'\n",
     2},
    {"unterminated quote", RUN_SCRIPT, "",
     "t_echo 'open\n",
     "sh: syntax error: unterminated quote\n",
     2},
    {"sh -c", RUN_DASH_C, "",
     "t_echo one; t_echo two | t_upper; exit 3",
     "one\n"
     "TWO\n",
     3},
    {"commands from a pipe (not a terminal: no prompt, no echo)", RUN_STDIN, "",
     "t_echo from stdin\n"
     "cd /tmp\n"
     "pwd\n"
     "t_exit 9\n",
     "from stdin\n"
     "/tmp\n",
     9},
};

const int shtest_ncases = (int)(sizeof shtest_cases / sizeof shtest_cases[0]);
