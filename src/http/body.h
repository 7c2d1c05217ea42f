/*
 * JSON request bodies: strict parse (depth limit, duplicate keys rejected)
 * and validation against a route's body_field list. Used by the router;
 * exposed for the fuzz and unit tests.
 */
#ifndef FAZHI_HTTP_BODY_H
#define FAZHI_HTTP_BODY_H

#include "request.h"

/* Parse req->body into req->json and validate it against req->route->body.
 * 0 on success; -1 with the API error set. */
int body_parse(struct request *req);

/* Validate req->json (an object) against fields. */
int body_validate(struct request *req, const struct body_field *fields);

#endif
