/* The NULL-terminated module list served by `fazhi serve`. */
#ifndef FAZHI_DOMAIN_MODULES_H
#define FAZHI_DOMAIN_MODULES_H

#include "http/request.h"

extern const struct module *const fazhi_modules[];

#endif
