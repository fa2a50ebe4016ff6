/* known_messages.h — assertions whose module weft rejects correctly but with
 * a different message than the spec's, each with the reason. Every other
 * message mismatch is a failure. */
#ifndef SPEC_KNOWN_MESSAGES_H
#define SPEC_KNOWN_MESSAGES_H

/* The reason the message at source:line may differ, or NULL if it may not. */
const char *known_message_difference(const char *source, long line);

#endif
