/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The job table: background pipelines (`cmd &`), numbered from 1 as `%n`. A job is done when
 * every process of it has been reaped; its status is its last process's. `jobs` lists them
 * (and forgets the ones reported done), `wait` waits, `kill %n` signals every process of one.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "sh.h"

typedef struct {
    int used;
    pid_t pids[SH_JOB_PIDS_MAX];
    int done[SH_JOB_PIDS_MAX];
    int npids, ndone;
    int status; /* the last process's, once reaped */
    char text[80];
} job_t;

static job_t jobs[SH_JOBS_MAX + 1]; /* numbered 1..SH_JOBS_MAX */

int sh_job_add(const pid_t *pids, int npids, const char *text)
{
    for (int n = 1; n <= SH_JOBS_MAX; n++) {
        job_t *j = &jobs[n];
        if (j->used) continue;
        memset(j, 0, sizeof *j);
        j->used = 1;
        j->npids = npids;
        memcpy(j->pids, pids, (size_t)npids * sizeof *pids);
        strncpy(j->text, text, sizeof j->text - 1);
        return n;
    }
    return -1;
}

int sh_job_find(const char *spec)
{
    if (spec[0] == '%') {
        int n = atoi(spec + 1);
        return n >= 1 && n <= SH_JOBS_MAX && jobs[n].used ? n : -1;
    }
    pid_t pid = (pid_t)atoi(spec);
    for (int n = 1; n <= SH_JOBS_MAX; n++)
        for (int i = 0; jobs[n].used && i < jobs[n].npids; i++)
            if (jobs[n].pids[i] == pid) return n;
    return -1;
}

/* Records the end of process i of job j. */
static void ended(job_t *j, int i, int wstatus)
{
    j->done[i] = 1;
    j->ndone++;
    if (i == j->npids - 1) j->status = sh_status_of(wstatus);
}

/* Reaps job j's processes: blocking (wait for all) or not. */
static void reap(job_t *j, int block)
{
    for (int i = 0; i < j->npids; i++) {
        if (j->done[i]) continue;
        int ws = 0;
        pid_t r = waitpid(j->pids[i], &ws, block ? 0 : WNOHANG);
        if (r == j->pids[i]) ended(j, i, ws);
        else if (r < 0 && errno == ECHILD) ended(j, i, 0);
    }
}

int sh_job_wait(int n)
{
    if (n < 1 || n > SH_JOBS_MAX || !jobs[n].used) return 127;
    reap(&jobs[n], 1);
    jobs[n].used = 0;
    return jobs[n].status;
}

int sh_jobs_wait_all(void)
{
    for (int n = 1; n <= SH_JOBS_MAX; n++)
        if (jobs[n].used) sh_job_wait(n);
    return 0;
}

int sh_job_kill(int n, int sig)
{
    int r = 0;
    for (int i = 0; i < jobs[n].npids; i++)
        if (!jobs[n].done[i] && kill(jobs[n].pids[i], sig) != 0) r = -1;
    return r;
}

void sh_jobs_report(int all)
{
    for (int n = 1; n <= SH_JOBS_MAX; n++) {
        job_t *j = &jobs[n];
        if (!j->used) continue;
        reap(j, 0);
        int done = j->ndone == j->npids;
        if (!done && !all) continue;
        if (!done) sh_printf(1, "[%d] Running %s\n", n, j->text);
        else if (j->status > 128) sh_printf(1, "[%d] Killed (signal %d) %s\n", n, j->status - 128, j->text);
        else if (j->status == 0) sh_printf(1, "[%d] Done %s\n", n, j->text);
        else sh_printf(1, "[%d] Exit %d %s\n", n, j->status, j->text);
        if (done) j->used = 0;
    }
}
