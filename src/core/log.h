/*
 * Process log on stderr: one line per event, timestamp, level, message.
 * Thread-safe (one write(2) per line). Never log passwords, tokens or full
 * personal identifiers: callers pass masked values.
 */
#ifndef FAZHI_CORE_LOG_H
#define FAZHI_CORE_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
/* Parse "debug|info|warn|error"; -1 if unknown. */
int log_level_parse(const char *s, enum log_level *out);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
