/* curl.h — the curl command line that sends the same request, for a student to try
 * outside the lab, or the reason no curl command can (malformed or pipelined bytes). */
#ifndef WIRELAB_CURL_H
#define WIRELAB_CURL_H

#include <stddef.h>
#include <stdio.h>

#include "commands.h"
#include "show.h"

/* show_curl — prints "--- the same request with curl:" and the command for sending
 * req[0..len) to host:port, wrapped to fit 80 columns, or one sentence saying why curl
 * cannot send these bytes. sent_to is the port the bytes went to: when it is not port
 * (a server started for one request, gone since), a Host naming it names port instead.
 * parts[0..nparts): the --file and --field options a multipart body was built from,
 * given to curl as -F (nparts 0: the body goes as its bytes). */
void show_curl(FILE *out, const struct style *st, const unsigned char *req, size_t len,
               const char *host, int port, int sent_to, const struct opts_part *parts,
               size_t nparts);

#endif
