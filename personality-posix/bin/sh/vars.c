/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shell variables: name, value, and whether they are exported (then they go into every child's
 * environment). The table starts with the environment the shell was given, as exported
 * variables; a name the table does not hold is looked up with getenv.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

#define VARS_MAX 64

typedef struct {
    char *text; /* "NAME=value" */
    int exported;
} var_t;

static var_t vars[VARS_MAX];
static int nvars;

extern char **environ;

int sh_var_name_ok(const char *s, size_t len)
{
    if (len == 0 || isdigit((unsigned char)s[0])) return 0;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_') return 0;
    return 1;
}

static int find(const char *name, size_t len)
{
    for (int i = 0; i < nvars; i++)
        if (strncmp(vars[i].text, name, len) == 0 && vars[i].text[len] == '=') return i;
    return -1;
}

void sh_vars_init(void)
{
    /* Only what getenv agrees with: on the host target `environ` can be the whole host
     * process's, while getenv answers from this program's own environment. */
    for (int i = 0; environ != NULL && environ[i] != NULL; i++) {
        const char *eq = strchr(environ[i], '=');
        if (eq == NULL || !sh_var_name_ok(environ[i], (size_t)(eq - environ[i]))) continue;
        char name[64];
        size_t len = (size_t)(eq - environ[i]);
        if (len >= sizeof name) continue;
        memcpy(name, environ[i], len);
        name[len] = '\0';
        const char *v = getenv(name);
        if (v != NULL && strcmp(v, eq + 1) == 0) sh_var_set(name, len, v, 1);
    }
}

const char *sh_var_get(const char *name)
{
    int i = find(name, strlen(name));
    return i >= 0 ? vars[i].text + strlen(name) + 1 : getenv(name);
}

int sh_var_set(const char *name, size_t len, const char *value, int export)
{
    int i = find(name, len);
    if (i < 0 && nvars == VARS_MAX) return -1;
    char *text = malloc(len + strlen(value) + 2);
    if (text == NULL) return -1;
    memcpy(text, name, len);
    text[len] = '=';
    strcpy(text + len + 1, value);
    if (i < 0) {
        i = nvars++;
        vars[i].exported = 0;
    } else {
        free(vars[i].text);
    }
    vars[i].text = text;
    vars[i].exported |= export;
    return 0;
}

int sh_var_export(const char *name)
{
    size_t len = strlen(name);
    int i = find(name, len);
    if (i >= 0) {
        vars[i].exported = 1;
        return 0;
    }
    const char *v = getenv(name);
    return sh_var_set(name, len, v ? v : "", 1);
}

char **sh_var_environ(char *const extra[], int nextra)
{
    static char *env[VARS_MAX + SH_WORDS_MAX + 1];
    int n = 0;
    for (int i = 0; i < nvars; i++) {
        if (!vars[i].exported) continue;
        size_t len = (size_t)(strchr(vars[i].text, '=') - vars[i].text);
        int overridden = 0;
        for (int j = 0; j < nextra; j++)
            if (strncmp(extra[j], vars[i].text, len + 1) == 0) overridden = 1;
        if (!overridden) env[n++] = vars[i].text;
    }
    for (int j = 0; j < nextra; j++) env[n++] = extra[j];
    env[n] = NULL;
    return env;
}

void sh_var_print_exported(void)
{
    for (int i = 0; i < nvars; i++)
        if (vars[i].exported) sh_printf(1, "export %s\n", vars[i].text);
}
