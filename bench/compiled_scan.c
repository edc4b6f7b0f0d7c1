/* A measurement, not part of the build (bench/compiled_scan.py): the link check's page
   reading (ici_site.site.links._Page) written in C, to weigh what compiled text passes would
   give. It finds the same matches as
     TAG = <([a-zA-Z][a-zA-Z0-9]*)(\s[^>]*)>  and, in each tag's attributes,
     LINKING = \s(id|name|href|src)="([^"]*)"  with re.IGNORECASE (i also matches U+0130 and
   U+0131, s also U+017F), \s being str.isspace(); it returns the raw values of the ids and of
   the links, which Python unescapes (and strips) as _Page does. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static inline int letter(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline int alnum(Py_UCS4 c) { return letter(c) || (c >= '0' && c <= '9'); }
static inline int eq_i(Py_UCS4 c, char l) {
    if (c < 128) return letter(c) && (char)(c | 0x20) == l;
    return (l == 'i' && (c == 0x130 || c == 0x131)) || (l == 's' && c == 0x17f);
}

/* the end of one of the names at b (before q), or -1 */
static Py_ssize_t name_end(int kind, const void *d, Py_ssize_t b, Py_ssize_t q) {
    static const char *names[] = {"id", "name", "href", "src"};
    for (int n = 0; n < 4; n++) {
        const char *s = names[n];
        Py_ssize_t e = b;
        while (*s && e < q && eq_i(PyUnicode_READ(kind, d, e), *s)) { s++; e++; }
        if (!*s) return e;
    }
    return -1;
}

/* whether the name, lowered as str.lower() lowers it, is word (only an ASCII name can be) */
static int lowered_is(int kind, const void *d, Py_ssize_t b, Py_ssize_t e, const char *word) {
    Py_ssize_t n = (Py_ssize_t)strlen(word);
    if (e - b != n) return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, d, b + i);
        if (c >= 128 || !letter(c) || (char)(c | 0x20) != word[i]) return 0;
    }
    return 1;
}

static PyObject *scan(PyObject *self, PyObject *html) {
    if (!PyUnicode_Check(html) || PyUnicode_READY(html) < 0) {
        PyErr_SetString(PyExc_TypeError, "a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(html);
    const void *d = PyUnicode_DATA(html);
    Py_ssize_t n = PyUnicode_GET_LENGTH(html), i = 0;
    PyObject *ids = PyList_New(0), *links = PyList_New(0);
    if (!ids || !links) goto fail;
    while (i < n) {
        Py_ssize_t p = PyUnicode_FindChar(html, '<', i, n, 1);
        if (p == -2) goto fail;
        if (p < 0) break;
        Py_ssize_t j = p + 1, k, q;
        if (j < n && letter(PyUnicode_READ(kind, d, j))) {
            k = j + 1;
            while (k < n && alnum(PyUnicode_READ(kind, d, k))) k++;
            if (k < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, d, k))) {
                q = PyUnicode_FindChar(html, '>', k + 1, n, 1);
                if (q == -2) goto fail;
                if (q >= 0) {
                    int tag_a = (k - j == 1) && (PyUnicode_READ(kind, d, j) | 0x20) == 'a';
                    Py_ssize_t a = k;
                    while (a < q) {
                        if (Py_UNICODE_ISSPACE(PyUnicode_READ(kind, d, a))) {
                            Py_ssize_t b = a + 1, e = name_end(kind, d, b, q);
                            if (e >= 0 && e + 1 < q && PyUnicode_READ(kind, d, e) == '='
                                    && PyUnicode_READ(kind, d, e + 1) == '"') {
                                Py_ssize_t v = e + 2, w = PyUnicode_FindChar(html, '"', v, q, 1);
                                if (w == -2) goto fail;
                                if (w >= 0) {
                                    int is_id = lowered_is(kind, d, b, e, "id");
                                    int is_name = lowered_is(kind, d, b, e, "name");
                                    if (is_id || (is_name && tag_a)) {
                                        if (w > v) {
                                            PyObject *s = PyUnicode_Substring(html, v, w);
                                            if (!s || PyList_Append(ids, s) < 0) { Py_XDECREF(s); goto fail; }
                                            Py_DECREF(s);
                                        }
                                    } else if (!is_name) {
                                        PyObject *s = PyUnicode_Substring(html, v, w);
                                        if (!s || PyList_Append(links, s) < 0) { Py_XDECREF(s); goto fail; }
                                        Py_DECREF(s);
                                    }
                                    a = w + 1;
                                    continue;
                                }
                            }
                        }
                        a++;
                    }
                    i = q + 1;
                    continue;
                }
            }
        }
        i = p + 1;
    }
    return Py_BuildValue("(NN)", ids, links);
fail:
    Py_XDECREF(ids);
    Py_XDECREF(links);
    return NULL;
}

static PyMethodDef methods[] = {{"scan", scan, METH_O, "(raw ids, raw links) of a page"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "compiled_scan", NULL, -1, methods};
PyMODINIT_FUNC PyInit_compiled_scan(void) { return PyModule_Create(&module); }
