/* govcheck.load._yaml: plain data and a compact position table from libyaml's events.
 *
 * The pure-Python route (ruamel's C parser composing a Python Node per value, then govcheck's
 * builder turning nodes into data) spends about five Python calls per node. Here libyaml's
 * event stream is turned straight into dicts, lists and scalars, and every node's start line
 * and column go into one flat int32 table instead of an object per node.
 *
 * This is a fast path, not a second YAML reader: it takes only documents whose meaning is
 * unambiguous without govcheck's own rules, and declines everything else by returning None,
 * so the caller reads the text the pure-Python way, which gives the same data, the same
 * positions, and the same located errors as before. Declined: any parse error; anchors,
 * aliases and merge keys (the alias-bomb and merge rules live in Python); explicit tags;
 * %YAML and %TAG directives; duplicate keys; keys that are not scalars; more than
 * max_nodes values or nesting deeper than max_depth (the located refusals live in Python);
 * plain scalars inside flow collections holding ':' or '?' (libyaml releases differ there);
 * plain scalars that resolve to a tag govcheck refuses; a byte-order mark left at the start.
 * Numbers other than plain digits and decimals are resolved by a Python callable the caller
 * passes in, so ints and floats follow exactly the Python rules.
 *
 * The data are the same only with a libyaml that parses as the copy bundled in ruamel.yaml.clib
 * (the Python route's parser) does. That copy is 0.2.1's scanner and parser less one fix; 0.2.1
 * to 0.2.5 differ from it where this reader declines (':' and '?' in flow plain scalars, tags,
 * %YAML 1.2) and where the copy reads past the text it has decoded (a '\' line continuation
 * before CRLF in a double-quoted scalar, the fix: there this reader is right and the Python route
 * is not). Other releases differ elsewhere: 0.1.x reads "\'" as a quote (and 0.1.4 to 0.1.6
 * abort on some input), and the parser after 0.2.5 reads [?] as a mapping and refuses [ ? ] ].
 * The libyaml loaded at run time, which a system upgrade can change without a rebuild, is checked
 * on import, by its version and by its answers on those texts (distributions patch libyaml), and
 * the import fails otherwise, so every text is read the pure-Python way.
 *
 * Table layout, per document, pre-order: three int32 per node, (line, column, size), line and
 * column 0-based as libyaml marks them (characters, not bytes), size the number of nodes in the
 * subtree including itself. A mapping's children are its keys and values alternately, in the
 * order written, which is also the order of the dict.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <yaml.h>

typedef struct {
    int32_t *v;
    size_t n, cap; /* in int32 units */
} Table;

typedef struct {
    PyObject *obj; /* dict or list, borrowed from its parent (or the root) */
    PyObject *key; /* a mapping's pending key, owned; NULL when a key is expected next */
    size_t at;     /* this node's entry in the table */
    int is_map;
    int flow;
} Frame;

typedef struct {
    Frame *frames;
    size_t depth, cap;
    Table table;
    PyObject *root;
    Py_ssize_t count;
    Py_ssize_t max_nodes;
    Py_ssize_t max_depth;
    PyObject *number; /* callable(text) -> value, or the decline sentinel */
    PyObject *decline;
    int declined;
} State;

static int table_push(Table *t, size_t line, size_t column) {
    if (t->n + 3 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 384;
        int32_t *v = PyMem_Realloc(t->v, cap * sizeof(int32_t));
        if (v == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        t->v = v;
        t->cap = cap;
    }
    if (line > INT32_MAX || column > INT32_MAX) {
        return 1; /* cannot happen within the size limit; decline rather than wrap */
    }
    t->v[t->n] = (int32_t)line;
    t->v[t->n + 1] = (int32_t)column;
    t->v[t->n + 2] = 1;
    t->n += 3;
    return 0;
}

static int exact(const char *s, size_t n, const char *word) {
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

static int has_byte(const char *s, size_t n, char c) { return memchr(s, c, n) != NULL; }

/* Every character the YAML 1.2 int, float and timestamp rules can match, but for the
 * letters of 0x, 0o and 0b prefixes, hex digits, .inf and .nan, which are decided first. */
static const char NUMBERISH[] = "0123456789+-_.: \teEtTZ";

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* A new reference to a plain scalar's value, Py_None borrowed-and-increfed for null, NULL with
 * an exception set on failure, or NULL with no exception to decline. */
static PyObject *plain(State *st, const char *s, size_t n) {
    if (n == 0) {
        Py_RETURN_NONE;
    }
    switch (s[0]) {
    case 't':
    case 'T':
    case 'f':
    case 'F':
        if (exact(s, n, "true") || exact(s, n, "True") || exact(s, n, "TRUE")) {
            Py_RETURN_TRUE;
        }
        if (exact(s, n, "false") || exact(s, n, "False") || exact(s, n, "FALSE")) {
            Py_RETURN_FALSE;
        }
        break;
    case '~':
    case 'n':
    case 'N':
        if (exact(s, n, "~") || exact(s, n, "null") || exact(s, n, "Null") || exact(s, n, "NULL")) {
            Py_RETURN_NONE;
        }
        break;
    case '<':
        if (exact(s, n, "<<")) {
            return NULL; /* a merge key where a value belongs: refused, located, in Python */
        }
        break;
    case '=':
    case '!':
    case '&':
    case '*':
        if (n == 1) {
            return NULL; /* resolves to a tag govcheck refuses */
        }
        break;
    case '-':
    case '+':
    case '.':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': {
        /* The shapes a manifest holds, decided here; everything else goes to the Python rules.
         * YYYY-MM-DD is a string (a timestamp) and matches no number. Digits with an optional
         * sign match only the int rule (the float rules need a dot or an exponent), and with
         * one dot between digits the first float rule: int() and float() of that text. */
        if (n == 10 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) && s[4] == '-' &&
            is_digit(s[5]) && is_digit(s[6]) && s[7] == '-' && is_digit(s[8]) && is_digit(s[9])) {
            break;
        }
        size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0, digits = 0, dot = 0, after = 0;
        for (; i < n; i++) {
            if (is_digit(s[i])) {
                digits++;
                after += dot;
            } else if (s[i] == '.' && !dot && digits > 0) {
                dot = 1;
            } else {
                break;
            }
        }
        if (i == n && digits > 0 && n < 64 && (!dot || after > 0)) {
            char buf[64];
            memcpy(buf, s, n);
            buf[n] = '\0';
            if (!dot) {
                return PyLong_FromString(buf, NULL, 10);
            }
            double d = PyOS_string_to_double(buf, NULL, NULL);
            if (d == -1.0 && PyErr_Occurred()) {
                return NULL;
            }
            return PyFloat_FromDouble(d);
        }
        /* .inf with an optional sign and .nan without one, in the three spellings the float
         * rule has; the builder reads them case-blind. */
        size_t sign = (s[0] == '-' || s[0] == '+') ? 1 : 0;
        if (exact(s + sign, n - sign, ".inf") || exact(s + sign, n - sign, ".Inf") ||
            exact(s + sign, n - sign, ".INF")) {
            return PyFloat_FromDouble(s[0] == '-' ? -Py_HUGE_VAL : Py_HUGE_VAL);
        }
        if (exact(s, n, ".nan") || exact(s, n, ".NaN") || exact(s, n, ".NAN")) {
            return PyFloat_FromDouble(Py_NAN);
        }
        int prefixed = n > sign + 1 && s[sign] == '0' && (s[sign + 1] == 'x' || s[sign + 1] == 'o' || s[sign + 1] == 'b');
        /* Otherwise no int, float or timestamp rule admits two dots or a character outside
         * NUMBERISH (version numbers, paths, 24x7): a string. */
        const char *dot1 = memchr(s, '.', n);
        if ((dot1 != NULL && memchr(dot1 + 1, '.', n - (size_t)(dot1 + 1 - s)) != NULL) ||
            (!prefixed && strspn(s, NUMBERISH) < n)) {
            break;
        }
        PyObject *text = PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "strict");
        if (text == NULL) {
            return NULL;
        }
        PyObject *value = PyObject_CallOneArg(st->number, text);
        Py_DECREF(text);
        if (value == st->decline) {
            Py_DECREF(value);
            return NULL;
        }
        return value;
    }
    default:
        break;
    }
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "strict");
}

/* 0 on success, 1 to decline, -1 on a Python error. ``value`` is stolen. */
static int add_value(State *st, PyObject *value) {
    if (++st->count > st->max_nodes || (Py_ssize_t)st->depth > st->max_depth) {
        Py_DECREF(value);
        return 1;
    }
    if (st->depth == 0) {
        st->root = value;
        return 0;
    }
    Frame *top = &st->frames[st->depth - 1];
    int rc;
    if (top->is_map) {
        rc = PyDict_SetItem(top->obj, top->key, value);
        Py_CLEAR(top->key);
    } else {
        rc = PyList_Append(top->obj, value);
    }
    Py_DECREF(value);
    return rc < 0 ? -1 : 0;
}

static int expecting_key(State *st) {
    return st->depth > 0 && st->frames[st->depth - 1].is_map && st->frames[st->depth - 1].key == NULL;
}

static int in_flow(State *st) { return st->depth > 0 && st->frames[st->depth - 1].flow; }

static int on_scalar(State *st, yaml_event_t *ev) {
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    int is_plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (ev->data.scalar.tag != NULL || ev->data.scalar.anchor != NULL) {
        return 1;
    }
    if (is_plain && in_flow(st) && (has_byte(s, n, ':') || has_byte(s, n, '?'))) {
        return 1;
    }
    int rc = table_push(&st->table, ev->start_mark.line, ev->start_mark.column);
    if (rc != 0) {
        return rc;
    }
    if (expecting_key(st)) {
        Frame *top = &st->frames[st->depth - 1];
        if (is_plain && exact(s, n, "<<")) {
            return 1;
        }
        PyObject *key = PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "strict");
        if (key == NULL) {
            return -1;
        }
        PyUnicode_InternInPlace(&key);
        int seen = PyDict_Contains(top->obj, key);
        if (seen != 0) {
            Py_DECREF(key);
            return seen < 0 ? -1 : 1; /* a duplicate key: refused, located, in Python */
        }
        top->key = key;
        return 0;
    }
    PyObject *value = is_plain ? plain(st, s, n) : PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "strict");
    if (value == NULL) {
        return PyErr_Occurred() ? -1 : 1;
    }
    return add_value(st, value);
}

static int on_start(State *st, yaml_event_t *ev, int is_map) {
    const yaml_char_t *tag = is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
    const yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    if (tag != NULL || anchor != NULL || expecting_key(st)) {
        return 1; /* a tagged or anchored collection, or a collection as a key */
    }
    if ((Py_ssize_t)st->depth >= st->max_depth) {
        return 1;
    }
    size_t at = st->table.n;
    int rc = table_push(&st->table, ev->start_mark.line, ev->start_mark.column);
    if (rc != 0) {
        return rc;
    }
    PyObject *obj = is_map ? PyDict_New() : PyList_New(0);
    if (obj == NULL) {
        return -1;
    }
    int flow = is_map ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                      : ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    flow = flow || in_flow(st);
    Py_INCREF(obj); /* one reference for the parent, one held by the frame until it closes */
    rc = add_value(st, obj);
    if (rc != 0) {
        Py_DECREF(obj);
        return rc;
    }
    if (st->depth == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 16;
        Frame *frames = PyMem_Realloc(st->frames, cap * sizeof(Frame));
        if (frames == NULL) {
            Py_DECREF(obj);
            PyErr_NoMemory();
            return -1;
        }
        st->frames = frames;
        st->cap = cap;
    }
    Frame *f = &st->frames[st->depth++];
    f->obj = obj;
    f->key = NULL;
    f->at = at;
    f->is_map = is_map;
    f->flow = flow;
    return 0;
}

static void on_end(State *st) {
    Frame *f = &st->frames[--st->depth];
    st->table.v[f->at + 2] = (int32_t)((st->table.n - f->at) / 3);
    Py_XDECREF(f->key);
    Py_DECREF(f->obj);
}

static void unwind(State *st) {
    while (st->depth > 0) {
        Frame *f = &st->frames[--st->depth];
        Py_XDECREF(f->key);
        Py_DECREF(f->obj);
    }
    Py_CLEAR(st->root);
}

/* load(text, number, decline, max_nodes, max_depth) -> list[(data, table bytes)] | None */
static PyObject *load(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 5 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "load(text: str, number, decline, max_nodes, max_depth)");
        return NULL;
    }
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(args[0], &size);
    if (utf8 == NULL) {
        PyErr_Clear(); /* lone surrogates: the pure-Python route says what is wrong */
        Py_RETURN_NONE;
    }
    if (size >= 3 && memcmp(utf8, "\xef\xbb\xbf", 3) == 0) {
        Py_RETURN_NONE; /* a byte-order mark still in the text: libyaml releases count it differently */
    }
    State st;
    memset(&st, 0, sizeof st);
    st.number = args[1];
    st.decline = args[2];
    st.max_nodes = PyLong_AsSsize_t(args[3]);
    st.max_depth = PyLong_AsSsize_t(args[4]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    PyObject *docs = PyList_New(0);
    if (docs == NULL) {
        return NULL;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        Py_DECREF(docs);
        return PyErr_NoMemory();
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)utf8, (size_t)size);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    int rc = 0, done = 0;
    while (rc == 0 && !done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = 1;
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (ev.data.document_start.version_directive != NULL ||
                ev.data.document_start.tag_directives.start != ev.data.document_start.tag_directives.end) {
                rc = 1;
            }
            st.count = 0;
            st.table.n = 0;
            break;
        case YAML_DOCUMENT_END_EVENT: {
            PyObject *table = PyBytes_FromStringAndSize((const char *)st.table.v,
                                                        (Py_ssize_t)(st.table.n * sizeof(int32_t)));
            PyObject *root = st.root ? st.root : Py_NewRef(Py_None);
            st.root = NULL;
            PyObject *pair = table ? PyTuple_Pack(2, root, table) : NULL;
            Py_DECREF(root);
            Py_XDECREF(table);
            if (pair == NULL || PyList_Append(docs, pair) < 0) {
                rc = -1;
            }
            Py_XDECREF(pair);
            break;
        }
        case YAML_ALIAS_EVENT:
            rc = 1;
            break;
        case YAML_SCALAR_EVENT:
            rc = on_scalar(&st, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
            rc = on_start(&st, &ev, 0);
            break;
        case YAML_MAPPING_START_EVENT:
            rc = on_start(&st, &ev, 1);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            on_end(&st);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    unwind(&st);
    PyMem_Free(st.frames);
    PyMem_Free(st.table.v);
    if (rc != 0) {
        Py_DECREF(docs);
        if (rc < 0 && PyErr_ExceptionMatches(PyExc_MemoryError)) {
            return NULL;
        }
        PyErr_Clear(); /* anything else unexpected: the pure-Python route has the last word */
        Py_RETURN_NONE;
    }
    return docs;
}

/* 1 when libyaml parses all of ``text``, 0 when it stops at an error, -1 out of memory. */
static int parses(const char *text) {
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    int rc = 1, done = 0;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = parser.error == YAML_MEMORY_ERROR ? -1 : 0;
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return rc;
}

/* 0 when the loaded libyaml reads as ruamel.yaml.clib's copy does (the header comment), else -1
 * with ImportError set (also when a check ran out of memory: the Python route still works). */
static int check_libyaml(void) {
    int major, minor, patch;
    yaml_get_version(&major, &minor, &patch);
    if (major == 0 && minor == 2 && patch >= 1 && patch <= 5 && parses("a: \"\\'\"\n") == 0 &&
        parses("[?]\n") == 0 && parses("[ ? ] ]\n") == 1) {
        return 0;
    }
    PyErr_Format(PyExc_ImportError,
                 "govcheck.load._yaml: libyaml %s does not parse as the copy in ruamel.yaml.clib does "
                 "(checked: releases 0.2.1 to 0.2.5); reading YAML the pure-Python way",
                 yaml_get_version_string());
    return -1;
}

static PyObject *libyaml_version(PyObject *self, PyObject *unused) {
    (void)self;
    (void)unused;
    return PyUnicode_FromString(yaml_get_version_string());
}

static PyMethodDef methods[] = {
    {"load", (PyCFunction)(void (*)(void))load, METH_FASTCALL,
     "load(text, number, decline, max_nodes, max_depth): [(data, table)] or None to decline"},
    {"libyaml_version", libyaml_version, METH_NOARGS, "The version of libyaml this was built with."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_yaml", "Plain data and positions from libyaml events (see _yaml.c).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__yaml(void) {
    if (check_libyaml() < 0) {
        return NULL;
    }
    return PyModule_Create(&module);
}
