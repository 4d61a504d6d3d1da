export const RUN_HELP = `usage: corral run [options] COMMAND [ARGS…] [::: ARGS… | :::: FILE…]…
       corral run [options] FILE.yaml|FILE.json|--demo

Runs COMMAND once per input, as GNU parallel does, on a pool of supervised processes; or runs a
job file (YAML or JSON). A single word ending in .yaml, .yml or .json with no ::: is a job file.
Without ::: or :::: the inputs are read from stdin, one per line. Replacement strings: {} {.} {/}
{//} {/.} {#} {%}, and per source {1} {1.} {1/} {1//} {1/.}; several sources combine as every
combination (--link: the i-th of each). Options override the job file's keys.

options (GNU parallel's spelling):
  -j, --jobs N|N%|+N|-N  pool size (job key concurrency)
  --timeout D|N%      per-task timeout (timeout)         --retries N       (retries)
  --retry-delay D     (retryDelay)                       --halt RULE       (halt), e.g. now,fail=1
  --memory-limit SIZE (memoryLimit)                      --termseq SEQ     (kill), e.g. TERM,10s,KILL
  --workdir DIR       (cwd)                              --env NAME=VALUE  (env; repeatable)
  --delay D           start each task D after the previous start (delay)
  --joblog FILE       write the joblog here              --resume, --resume-failed  skip by the joblog
  --results DIR       each task's stdout, stderr and seq in DIR/1/<input>/…, parallel's layout
  --tag, --tagstring STR  prefix each output line        -k, --keep-order  print in input order
  --line-buffer       print whole lines as they come     -u, --ungroup     print output as it comes
  -C, --colsep REGEX  split each input into columns      -0, --null        inputs end at NUL, not newline
  -a, --arg-file FILE an input source (repeatable)       --link            pair sources instead of combining
  --shuf              run the inputs in random order     --dry-run         print the commands, run nothing
  --bar, --eta, --progress  the progress line (on stderr, when it is a terminal)
  --json              one JSON object per ended attempt (with its output), then a summary
  --serve [--port N]  serve the dashboard for this run; its URL goes to stderr
  --broker URL        run the tasks on hosts running \`corral agent --broker URL\` (Redis; see README)
  --tick D            sampling interval, 250ms..10s (default 1s)
  --demo [python]     run the embedded demo job (or the Python one)

exit codes: 0 all tasks ok (or halted by success=…), 1 some failed, 2 bad job file or usage,
129 hangup, 130 interrupted (Ctrl-C), 141 stdout closed (e.g. | head), 143 terminated (SIGTERM),
70 internal error. (GNU parallel exits with the number of failed tasks; Corral does not.)`;
