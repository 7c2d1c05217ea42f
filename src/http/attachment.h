/*
 * Uploading and downloading attached files over the API, the same for every
 * line that keeps them (case attachments, ledger evidence): the file name in
 * ?filename=, the raw request body as content, the blob store under the
 * configured files directory, and the reply of a stored file with its name
 * in the Content-Disposition header.
 */
#ifndef FAZHI_HTTP_ATTACHMENT_H
#define FAZHI_HTTP_ATTACHMENT_H

#include <stdint.h>

#include "request.h"

/*
 * Check ?filename= and the body, and store the body in the blob store.
 * 0 with *name (the file name) and sha set; -1 with the error reply set.
 */
int attachment_receive(struct request *req, const char **name, char sha[65]);

/*
 * Reply with the stored file named sha, expected to be size bytes, as a
 * download called name. 0, or -1 with the error reply set when the file is
 * missing or no longer matches its SHA-256.
 */
int attachment_reply(struct request *req, const char *sha, int64_t size, const char *type, const char *name);

#endif
