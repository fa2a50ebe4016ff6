/* json.h — a small JSON reader for wast2json output.
 *
 * The whole document is parsed at once into a tree that lives in one arena,
 * so a file's commands are parsed once and freed with a single call.
 * Strings carry their length: names in the spec suite hold NUL bytes. */
#ifndef SPEC_JSON_H
#define SPEC_JSON_H

#include <stddef.h>

typedef enum json_type {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_type;

/* A decoded string: UTF-8 bytes, NUL-terminated for convenience, but `len`
 * is authoritative since the bytes may contain NUL. */
typedef struct json_string {
    const char *chars;
    size_t len;
} json_string;

typedef struct json_value json_value;
typedef struct json_member json_member;

struct json_value {
    json_type type;
    union {
        int boolean;
        double number;
        json_string string;
        struct {
            json_value *items;
            size_t count;
        } array;
        struct {
            json_member *members;
            size_t count;
        } object;
    } u;
};

struct json_member {
    json_string key;
    json_value value;
};

typedef struct json_arena json_arena;

/* A parsed document: the root value and the arena that owns every node. */
typedef struct json_doc {
    json_value root;
    json_arena *arena;
} json_doc;

/* Space for a parse error message ("line 3, column 7: expected ':'"). */
#define JSON_ERROR_SIZE 160

/* Parses `len` bytes of `text`. Returns 1 and fills *doc on success (free it
 * with json_doc_free); returns 0 and writes a message to `error` otherwise. */
int json_parse(const char *text, size_t len, json_doc *doc, char error[JSON_ERROR_SIZE]);
void json_doc_free(json_doc *doc);

/* Member `key` of an object, or NULL if absent or `obj` is not an object. */
const json_value *json_get(const json_value *obj, const char *key);
/* String member `key`, or NULL if absent or not a string. */
const json_string *json_get_string(const json_value *obj, const char *key);
/* Number member `key` as a long, or `fallback` if absent or not a number. */
long json_get_long(const json_value *obj, const char *key, long fallback);
/* Whether a string equals a NUL-terminated C string (exact length match). */
int json_string_is(const json_string *s, const char *cstr);

#endif /* SPEC_JSON_H */
