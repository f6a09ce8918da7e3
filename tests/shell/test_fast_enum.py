"""ui/shell/fast_enum.py makes PySide's enums exactly as Python's enum would.

Every enum PySide makes for QtCore, QtGui, QtWidgets, QtNetwork and QtPdf is
made twice in a fresh process, through ``EnumType.__call__`` as PySide calls it:
once by Python's own ``_create_`` and once by ours. What each class and member
shows (its dict, members, aliases, order, masks, repr, str, format, lookups,
flag operations, what pickling would save) must be the same. Calls of other
shapes go to Python's own code and give what it gives, errors included.
"""

from __future__ import annotations

import enum
import json
import sys
import types
from pathlib import Path

import pytest

from fresh_process import last_json, run
from ui.shell import fast_enum

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    sys.version_info[:2] != (3, 11), reason="the fast path follows CPython 3.11's enum.py"
)


def _describe(value, made):
    """A value of an enum class's dict, comparable across two made classes."""
    if isinstance(value, made):
        return ["member", value._name_]
    if isinstance(value, (property, types.DynamicClassAttribute)):  # enum.property too
        member = getattr(value, "member", None)
        name = member._name_ if member is not None else None
        return ["property", type(value).__name__, name, id(value.fget), id(value.fset)]
    if isinstance(value, dict):
        return ["dict", [[repr(k), _describe(v, made)] for k, v in value.items()]]
    if isinstance(value, list):
        return ["list", [_describe(v, made) for v in value]]
    if isinstance(value, (int, str, bool, type(None), float)):
        return ["plain", repr(value)]
    if isinstance(value, (types.GetSetDescriptorType, types.MemberDescriptorType)):
        return ["descriptor", type(value).__name__, value.__name__, value.__objclass__ is made]
    if isinstance(value, types.MethodType):  # bound to the class: compare the function
        return ["method", id(value.__func__)]
    return ["object", type(value).__name__, id(value)]  # shared functions: the same object


def _outcome(call):
    try:
        return ["ok", repr(call())]
    except Exception as error:  # the same kind of error with the same words
        return ["error", type(error).__name__, str(error)]


def fingerprint(made) -> list:
    """Everything a program could see of an enum class and its members."""
    seen: list = [made.__name__, made.__qualname__, made.__module__]
    seen.append([base.__name__ for base in made.__mro__[1:]])
    seen.append([type(made).__name__, made.__flags__, made.__basicsize__, made.__itemsize__])
    seen.append([made.__dictoffset__, made.__weakrefoffset__, list(made.__dict__)])  # in order
    seen.append(sorted([key, _describe(v, made)] for key, v in made.__dict__.items()))
    inherited = [b.__dict__["_iter_member_"] for b in made.__mro__ if "_iter_member_" in b.__dict__]
    seen.append([_describe(found, made) for found in inherited[:1]])
    seen.append([m._name_ for m in made])
    seen.append(len(made))
    for name, member in made.__members__.items():
        seen.append(
            [
                name,
                member._name_,
                repr(member._value_),
                member._sort_order_,
                type(member) is made,
                sorted(vars(member)),
                repr(member),
                str(member),
                format(member),
                _outcome(lambda m=member: f"{m:>12}"),
                _outcome(lambda m=member: hash(m) == hash(m._name_)),
                _outcome(lambda m=member: m.__reduce_ex__(4)),
                _outcome(lambda m=member: made(m._value_)),
                _outcome(lambda m=member: made[m._name_]),
                m_is(member, made),
            ]
        )
    values = [m._value_ for m in made.__members__.values() if type(m._value_) is int]
    top = max(values, default=0)
    for odd in (top + 12345, -7, 0):
        seen.append(_outcome(lambda odd=odd: made(odd)))
    if issubclass(made, enum.Flag):
        members = list(made)[:6]
        for a in members:
            seen.append(_outcome(lambda a=a: ~a))
            seen.append(_outcome(lambda a=a: list(a)))
            for b in members:
                seen.append(_outcome(lambda a=a, b=b: a | b))
                seen.append(_outcome(lambda a=a, b=b: a & b))
                seen.append(_outcome(lambda a=a, b=b: a ^ b))
                seen.append(_outcome(lambda a=a, b=b: list(a | b)))
        seen.append(_outcome(lambda: made(made._all_bits_)))
    return seen


def m_is(member, made) -> bool:
    return getattr(made, member._name_) is member


def _both(cls, name, names, **kw):
    """The class Python's own _create_ makes and the one ours makes, as
    PySide asks for it (``cls(name, names, boundary=...)``)."""
    original = enum.EnumType._create_
    try:
        enum.EnumType._create_ = fast_enum._stock_create
        stock = cls(name, names, **kw)
        enum.EnumType._create_ = fast_enum._create_
        fast = cls(name, names, **kw)
    finally:
        enum.EnumType._create_ = original
    return stock, fast


#: a fresh process: records every enum PySide makes while every class of its
#: modules is made, then makes each again both ways and compares
EVERY_PYSIDE_ENUM = r"""
import enum, importlib, json, sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests", sys.argv[1] + "/tests/shell"]
from test_fast_enum import _both, fingerprint
from ui.shell import fast_enum

def fast_enum_plain(cls, names):
    return int(cls in fast_enum._BASES and fast_enum._plain(names, fast_enum._base_names(cls)))

calls = []
stock = enum.EnumType._create_

def recording(cls, class_name, names, **kw):
    calls.append((cls, class_name, names, kw.get("boundary")))
    return stock(cls, class_name, names, **kw)

enum.EnumType._create_ = recording
for name in ("QtCore", "QtGui", "QtWidgets", "QtNetwork", "QtPdf", "QtPdfWidgets"):
    module = importlib.import_module("PySide6." + name)
    for attr in dir(module):
        getattr(module, attr)  # PySide makes a class, with its enums, when first asked
enum.EnumType._create_ = stock
different, plain, members = [], 0, 0
for cls, class_name, names, boundary in calls:
    kw = {} if boundary is None else {"boundary": boundary}
    made_stock, made_fast = _both(cls, class_name, names, **kw)
    if json.dumps(fingerprint(made_stock)) != json.dumps(fingerprint(made_fast)):
        different.append(class_name)
    plain += fast_enum_plain(cls, names)
    members += len(names)
print(json.dumps({"enums": len(calls), "members": members, "plain": plain, "different": different}))
"""


def test_every_enum_pyside_makes_is_the_same_made_either_way():
    found = last_json(EVERY_PYSIDE_ENUM, str(ROOT), timeout=120)
    assert found["different"] == []
    # the whole of Qt's widgets: enough to mean something, and nearly all on the fast path
    assert found["enums"] > 600 and found["members"] > 6000
    assert found["plain"] >= 0.95 * found["enums"]


@pytest.mark.parametrize(
    "base, names",
    [
        (enum.Enum, [("RED", 1), ("GREEN", 2), ("ALSO_RED", 1)]),  # an alias
        (enum.IntEnum, [("Key_A", 65), ("Key_B", 66), ("Key_Any", 65), ("Key_0", 0)]),
        (enum.Flag, [("A", 1), ("B", 2), ("AB", 3), ("NONE", 0), ("C", 4)]),  # multi-bit, zero
        (enum.Flag, [("C", 4), ("A", 1), ("B", 2)]),  # not in value order: iterated by definition
        (enum.IntFlag, [("X", 8), ("Y", 1), ("XY", 9), ("Big", 1 << 40), ("Neg", -1)]),
        (enum.IntEnum, [("Low", -5), ("High", 2**63)]),
        (enum.Enum, []),
    ],
)
def test_a_plain_list_gives_the_same_class_on_the_fast_path(base, names):
    assert fast_enum._plain(names, fast_enum._base_names(base))
    for boundary in (None, enum.KEEP):
        kw = {} if boundary is None else {"boundary": boundary}
        if boundary is not None and not issubclass(base, enum.Flag):
            continue
        stock, fast = _both(base, "Demo", names, **kw)
        assert json.dumps(fingerprint(stock)) == json.dumps(fingerprint(fast))


@pytest.mark.parametrize(
    "base, names",
    [
        (enum.Enum, [("name", 1), ("value", 2)]),  # Enum's own properties: redirected
        (enum.IntEnum, [("real", 1), ("bit_length", 2), ("denominator", 3)]),  # int's own
        (enum.Enum, [("A", 1), ("A", 2)]),  # the same name twice: TypeError
        (enum.Enum, [("mro", 1)]),  # a name Python refuses
        (enum.Enum, [("_sunder_", 1)]),
        (enum.Enum, [("__dunder__", 1)]),
        (enum.Enum, [("A", "text")]),  # not an int
        (enum.Enum, [("A", True)]),  # a bool is not an int here
        (enum.Enum, [("A", (1, 2))]),
        (enum.Enum, "A B C"),  # names only
        (enum.Enum, ["A", "B"]),
        (enum.Enum, {"A": 1, "B": 2}),
        (enum.Enum, (("A", 1), ("B", 2))),  # a tuple, not a list
        (enum.Enum, [["A", 1]]),  # a list, not a tuple
        (enum.Enum, [("", 1)]),
    ],
)
def test_any_other_call_goes_to_pythons_own_code(base, names):
    assert not fast_enum._plain(names, fast_enum._base_names(base))
    made = []
    for create in (fast_enum._stock_create, fast_enum._create_):
        original = enum.EnumType._create_
        enum.EnumType._create_ = create
        try:
            made.append(_outcome(lambda: fingerprint(base("Demo", names))))
        finally:
            enum.EnumType._create_ = original
    assert made[0] == made[1]


def test_an_enum_of_ones_own_or_with_a_mixin_goes_to_pythons_own_code():
    class Colour(enum.Enum):
        def describe(self):
            return self.name.lower()

    class Base(enum.Enum):
        pass

    for cls, kw in ((Base, {}), (enum.Enum, {"type": int}), (enum.StrEnum, {})):
        names = [("A", "a")] if cls is enum.StrEnum else [("A", 1), ("B", 2)]
        stock, fast = _both(cls, "Demo", names, **kw)
        assert json.dumps(fingerprint(stock)) == json.dumps(fingerprint(fast))
    assert Colour  # a class with members of its own is never asked to make more


def test_the_app_makes_pysides_enums_the_fast_way_and_they_work():
    script = (
        "import enum, sys; import ui.shell.main; from ui.shell import fast_enum;"
        "from PySide6.QtCore import Qt; from PySide6.QtWidgets import QStyle;"
        "a = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop;"
        "print(fast_enum.installed(), Qt.Key(65).name, Qt.Key.Key_Any is Qt.Key.Key_Space,"
        " int(a), a & Qt.AlignmentFlag.AlignLeft == Qt.AlignmentFlag.AlignLeft,"
        " bool(QStyle.StateFlag.State_Enabled & QStyle.StateFlag.State_Enabled),"
        " Qt.AlignmentFlag(0x21) == a)"
    )
    out = run(script)
    assert out.stdout.split() == ["True", "Key_A", "True", "33", "True", "True", "True"]


def test_install_leaves_another_replacement_alone():
    original = enum.EnumType._create_
    try:

        def someone_elses(cls, *args, **kw):
            return fast_enum._stock_create(cls, *args, **kw)

        enum.EnumType._create_ = someone_elses
        assert fast_enum.install() is False
        assert enum.EnumType._create_ is someone_elses
    finally:
        enum.EnumType._create_ = original
