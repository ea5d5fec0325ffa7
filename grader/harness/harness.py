"""The grader's Python harness, the same for every exercise.

Run inside the box as

    python3 -I -B harness.py STUDENT_FILE [MODULE...] cases.txt

It loads the student's file as a module (not as __main__, so an
`if __name__ == "__main__":` block does not run), calls the student's
functions on the cases and reports every call on file descriptor 3, following
the harness protocol of docs/protocols.md, section 2.

The student's code runs in this process, so everything the reporting needs is
bound before the student's file is loaded: a submission that replaces
sys.stdout, builtins such as float or print, or attributes of os does not
change what is written on the channel. Only the traceback of a file that fails
to load is formatted with a module imported afterwards (traceback costs 4 ms
of every start); what a failed load does to it can only garble its own
message. Standard library only.
"""

import builtins
import importlib.machinery
import importlib.util
import io
import math
import numbers
import os
import sys

_CHANNEL_FD = 3
# The third-party modules the exercise allows (set by main from the command line).
_ALLOWED_MODULES = ()
# Channel lines stay below PIPE_BUF (4096 bytes), so each os.write is atomic.
_MAX_MESSAGE_CHARS = 1500



def _make_reporter():
    """Returns the channel functions, closed over private references."""
    write = os.write
    encode = str.encode
    replace = str.replace
    join = str.join
    length = len
    exit_now = os._exit
    fd = _CHANNEL_FD

    def emit(*fields):
        line = join(" ", fields) + "\n"
        data = encode(line, "utf-8", "backslashreplace")
        while True:
            try:
                write(fd, data)
                return
            except InterruptedError:
                continue
            except OSError:
                exit_now(1)  # the channel is gone: nothing left to report to

    def escape(text, keep_tail=False):
        if length(text) > _MAX_MESSAGE_CHARS:
            if keep_tail:  # the end of a traceback says what went wrong
                text = "..." + text[-_MAX_MESSAGE_CHARS:]
            else:
                text = text[:_MAX_MESSAGE_CHARS] + "..."
        text = replace(text, "\\", "\\\\")
        text = replace(text, "\n", "\\n")
        text = replace(text, "\t", "\\t")
        return replace(text, "\r", "\\r")

    return emit, escape


_emit, _escape = _make_reporter()


def _make_silencer():
    """Returns a function that flushes the real stdout and stderr, then points
    fd 1 and fd 2 at /dev/null for good, keeping no copy of them."""
    real_streams = (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)
    wrapper_type = io.TextIOWrapper
    get_sys = sys  # the module object itself; its attributes are read at call time
    open_fd, dup2, close = os.open, os.dup2, os.close
    devnull, write_only = os.devnull, os.O_WRONLY
    exact_type = type

    def flush(stream):
        # Only the interpreter's own stream objects are flushed: a student's
        # replacement could run arbitrary code in its flush().
        if stream is not None and exact_type(stream) is wrapper_type:
            try:
                stream.flush()
            except BaseException:  # noqa: BLE001 - nothing may escape here
                pass

    def silence():
        for stream in real_streams:
            flush(stream)
        for stream in (get_sys.stdout, get_sys.stderr):
            flush(stream)
        try:
            null_fd = open_fd(devnull, write_only)
        except OSError:
            for fd in (1, 2):
                try:
                    close(fd)
                except OSError:
                    pass
            return
        dup2(null_fd, 1)
        dup2(null_fd, 2)
        if null_fd > 2:
            close(null_fd)

    return silence


_silence = _make_silencer()


def _parse_list(text):
    if len(text) < 2 or text[0] != "[" or text[-1] != "]":
        raise ValueError("bad list %r" % text[:40])
    inner = text[1:-1]
    return [float.fromhex(item) if item not in ("nan", "inf", "-inf") else float(item)
            for item in inner.split(",")] if inner else []


def _parse_rows(text):
    if len(text) < 2 or text[0] != "[" or text[-1] != "]":
        raise ValueError("bad matrix %r" % text[:40])
    inner = text[1:-1]
    if not inner:
        return []
    if not inner.startswith("[") or not inner.endswith("]"):
        raise ValueError("bad matrix %r" % text[:40])
    return [_parse_list("[" + row + "]") for row in inner[1:-1].split("],[")]


def _parse_number(text):
    return float(text) if text in ("nan", "inf", "-inf") else float.fromhex(text)


def _parse_boolean(text):
    if text not in ("true", "false"):
        raise ValueError("bad boolean %r" % text)
    return text == "true"


# How each kind of argument is read from a case line (letters of the harness protocol).
_PARSERS = {"n": _parse_number, "i": int, "b": _parse_boolean, "v": _parse_list, "m": _parse_rows}


def _read_cases(path):
    """Reads and checks the whole cases file before any student code runs."""
    cases = []
    with open(path, encoding="ascii") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.rstrip("\r\n").split(" ")
            if fields == [""]:
                continue
            try:
                index, function, visibility, kinds = fields[:4]
                # The grader writes the function's name and the kinds of its parameters and
                # result, from the exercise's task signatures: this harness knows no exercise.
                params, _, result = kinds.partition(":")
                if (not index.isdigit() or not function.isidentifier()
                        or visibility not in ("v", "h") or len(result) != 1
                        or any(kind not in _PARSERS for kind in params + result)
                        or len(fields) != 4 + len(params)):
                    raise ValueError("bad fields")
                args = tuple(_PARSERS[kind](text) for kind, text in zip(params, fields[4:]))
            except (ValueError, KeyError) as error:
                raise SystemExit("harness: %s:%d: malformed case line (%s)"
                                 % (path, number, error)) from None
            cases.append((index, function, visibility == "h", args, result))
    return cases


def _make_import_policy(allowed, student_directory):
    """A finder, first on sys.meta_path, that lets the submission import the standard library,
    its own files and the third-party modules the exercise allows (MODULE... on the command
    line, before the cases file), and refuses anything else with a message that says so. It keeps grading fair (every
    student gets the same modules); the sandbox, not this, keeps the machine safe."""
    stdlib = frozenset(sys.stdlib_module_names)
    allowed = frozenset(allowed)
    path_finder = importlib.machinery.PathFinder
    refused = ModuleNotFoundError

    class ImportPolicy:
        @staticmethod
        def find_spec(name, path=None, target=None):
            top = name.partition(".")[0]
            if top in stdlib or top in allowed or top in sys.builtin_module_names:
                return None
            if path is None and path_finder.find_spec(top, [student_directory]) is not None:
                return None  # the submission's own module
            if path is not None:
                return None  # a submodule of a package already imported
            others = ", ".join(sorted(allowed))
            raise refused(
                "the exercise does not allow the module %r: a submission may import the standard "
                "library%s and its own files" % (top, (", " + others) if others else ""),
                name=name)

    return ImportPolicy


def _load_student(path):
    """Imports the student's file as a module whose name is not __main__.

    The module takes the file's own name (main.py -> main) when that name is
    free, so a helper file of the submission that imports it gets this very
    module; the student's directory goes first on sys.path for such imports.
    """
    directory = os.path.dirname(os.path.abspath(path))
    stem = os.path.splitext(os.path.basename(path))[0]
    name = stem
    if (not stem.isidentifier() or stem in sys.modules
            or stem in sys.stdlib_module_names or stem.startswith("__")):
        name = "student_submission"
    sys.path.insert(0, directory)
    sys.meta_path.insert(0, _make_import_policy(_ALLOWED_MODULES, directory))
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot load %r as a Python module" % path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _make_runner(emit, escape):
    """Returns run_case(module, index, function, args), bound to private
    references of everything it uses, so that a student who rebinds builtins
    (float, isinstance, str, type, ...) or the os module cannot change what
    is reported."""
    b = builtins
    to_float, is_instance, exact_type, to_str = b.float, b.isinstance, b.type, b.str
    is_callable, to_repr, attribute, namespace = b.callable, b.repr, b.getattr, b.vars
    system_exit = b.SystemExit
    hex_of = float.hex
    real_type, int_type, bool_type = numbers.Real, b.int, b.bool
    is_nan, is_inf = math.isnan, math.isinf

    def type_name(value):
        try:
            name = exact_type(value).__name__
            if not is_instance(name, to_str) or not name:
                raise TypeError
        except BaseException:  # noqa: BLE001
            return "object"
        # One token on the line, whatever the class was called.
        return "_".join(escape(name).split()) or "object"

    def message_of(error):
        try:
            text = to_str(error)
        except BaseException:  # noqa: BLE001
            text = "(message could not be converted to text)"
        if not text and exact_type(error) is system_exit:
            text = "sys.exit(%s) called inside the function" % (
                to_repr(error.code) if error.code is not None else "")
        return escape(text) if text else "(no message)"

    def number(value):
        if is_nan(value):
            return "nan"
        if is_inf(value):
            return "inf" if value > 0 else "-inf"
        return hex_of(value)

    list_types = (b.list, b.tuple)
    max_elements = 100000

    class BadType(Exception):
        """The result cannot be reported: what it is, in words."""

    def scalar_of(value):
        """A number result: (text, note). A numpy 0-d array is a number; a bool is not."""
        kind = exact_type(value)
        from_numpy = attribute(kind, "__module__", "") == "numpy"
        kind_name = attribute(kind, "__name__", "")
        if kind is bool_type or is_instance(value, bool_type) or (from_numpy
                                                                 and kind_name == "bool_"):
            raise BadType("bool")
        if from_numpy and kind_name == "ndarray" and attribute(value, "ndim", None) == 0:
            # A 0-d array is a number (what np.sum and friends may hand back).
            value = value[()]
            kind = exact_type(value)
            kind_name = attribute(kind, "__name__", "")
            if kind_name == "bool_":
                raise BadType("bool")
        if attribute(kind, "__module__", "") == "numpy" and kind_name == "float32":
            note = "float32"
        elif is_instance(value, (real_type, int_type)):
            note = None
        else:
            raise BadType(type_name(value))
        result = to_float(value)
        if exact_type(result) is not to_float:
            result = to_float.__new__(to_float, result)
        return number(result), note

    def list_of(value, depth, budget):
        """A vector or matrix result as the protocol writes it; numpy arrays become lists.
        `budget` holds how many more items (numbers and rows) the whole result may have."""
        note = None
        kind = exact_type(value)
        if attribute(kind, "__module__", "") == "numpy" and attribute(kind, "__name__", "") == "ndarray":
            if attribute(value, "ndim", None) == 0:
                return scalar_of(value)
            dtype_name = to_str(attribute(attribute(value, "dtype", None), "name", ""))
            if dtype_name == "float32":
                note = "float32"
            if attribute(value, "size", 0) > max_elements:
                raise BadType("an array of more than %d numbers" % max_elements)
            value = value.tolist()
            kind = exact_type(value)
        if kind not in list_types:
            if depth == 0:
                return scalar_of(value)
            raise BadType("a list holding a " + type_name(value))
        if depth == 2:
            raise BadType("a list nested more than two levels deep")
        parts = []
        for item in value:
            budget[0] -= 1
            if budget[0] < 0:
                raise BadType("a list of more than %d numbers" % max_elements)
            if exact_type(item) in list_types or (
                    attribute(exact_type(item), "__name__", "") == "ndarray"
                    and attribute(item, "ndim", 0) > 0):
                text, item_note = list_of(item, depth + 1, budget)
            else:
                try:
                    text, item_note = scalar_of(item)
                except BadType as error:
                    raise BadType("a list holding a " + to_str(error.args[0])) from None
            note = note or item_note
            parts.append(text)
        return "[" + ",".join(parts) + "]", note

    def integer_of(value):
        kind = exact_type(value)
        from_numpy = attribute(kind, "__module__", "") == "numpy"
        if kind is bool_type or (from_numpy and attribute(kind, "__name__", "") == "bool_"):
            raise BadType("bool")
        if not is_instance(value, int_type) and not (
                from_numpy and attribute(kind, "__name__", "").startswith(("int", "uint"))):
            raise BadType(type_name(value))
        return to_str(int_type(value)), None

    def boolean_of(value):
        kind = exact_type(value)
        if kind is bool_type or (attribute(kind, "__module__", "") == "numpy"
                                 and attribute(kind, "__name__", "") == "bool_"):
            return ("true" if value else "false"), None
        raise BadType(type_name(value))

    def run_case(module, index, function, args, result_kind="n"):
        emit("start", index)
        try:
            target = namespace(module).get(function)
        except BaseException:  # noqa: BLE001
            target = None
        if target is None or not is_callable(target):
            emit("missing", index)
            return
        try:
            # Lists are handed over fresh for each call: a function that changes its
            # arguments cannot change another case's.
            result = target(*args)
        except BaseException as error:  # noqa: BLE001 - SystemExit costs this case only
            emit("exception", index, type_name(error) + ":", message_of(error))
            return
        try:
            if result_kind == "n":
                text, note = scalar_of(result)
            elif result_kind == "i":
                text, note = integer_of(result)
            elif result_kind == "b":
                text, note = boolean_of(result)
            else:
                text, note = list_of(result, 0, [max_elements])
        except BadType as error:
            emit("bad_type", index, escape(to_str(error.args[0])))
            return
        except BaseException as error:  # noqa: BLE001 - e.g. an int beyond 1e308
            emit("exception", index, type_name(error) + ":", message_of(error))
            return
        if note is None:
            emit("value", index, text)
        else:
            emit("value", index, text, note)

    return run_case


def main(argv):
    global _ALLOWED_MODULES
    emit, escape = _emit, _escape
    if len(argv) < 3:
        raise SystemExit("usage: python3 -I -B harness.py STUDENT_FILE [MODULE...] CASES_FILE")
    student_path, cases_path = argv[1], argv[-1]
    _ALLOWED_MODULES = tuple(argv[2:-1])
    cases = _read_cases(cases_path)
    run_case = _make_runner(emit, escape)
    silence = _silence
    exit_now = os._exit
    exact_type = type

    try:
        module = _load_student(student_path)
    except BaseException as error:  # noqa: BLE001 - SyntaxError, SystemExit, anything
        try:
            # Show the student's frames only: skip the harness and importlib.
            # (In the box both files may share one directory.)
            directory = os.path.dirname(os.path.abspath(student_path)) + os.sep
            own_file = os.path.abspath(__file__)
            # traceback (with re, tokenize and linecache: 4 ms of every start) only now, and
            # from the standard library, not from a file of the submission beside it.
            sys.path[:] = [p for p in sys.path if os.path.abspath(p) + os.sep != directory]
            import traceback
            frames = error.__traceback__
            while frames is not None:
                filename = frames.tb_frame.f_code.co_filename
                if filename.startswith(directory) and filename != own_file:
                    break
                frames = frames.tb_next
            text = "".join(traceback.format_exception(exact_type(error), error, frames))
        except BaseException:  # noqa: BLE001
            text = "%s while loading the submission" % exact_type(error).__name__
        emit("load_error", escape(text.rstrip("\n"), keep_tail=True))
        silence()
        exit_now(0)

    emit("ready")
    silenced = False
    for index, function, hidden, args, result in cases:
        if hidden and not silenced:
            silence()
            silenced = True
        run_case(module, index, function, args, result)
    emit("done")
    # Hand on what visible cases printed, then leave without running the
    # submission's atexit handlers or finalizers.
    if not silenced:
        silence()
    exit_now(0)


if __name__ == "__main__":
    main(sys.argv)
