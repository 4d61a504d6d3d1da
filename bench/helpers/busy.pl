# Command-line busy task (GNU parallel and Corral command jobs): spins until this process has
# used ARGV[0] ms of CPU time. Perl starts in ~2 ms and GNU parallel already needs it.
use Time::HiRes qw(clock_gettime CLOCK_PROCESS_CPUTIME_ID);
my $end = clock_gettime(CLOCK_PROCESS_CPUTIME_ID) + $ARGV[0] / 1000;
1 while clock_gettime(CLOCK_PROCESS_CPUTIME_ID) < $end;
