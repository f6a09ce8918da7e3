"""PySide's enums, made as Python's ``enum`` makes them, in about a quarter of the time.

PySide makes a Python enum for every enum of a Qt class when that class is
first used, through the functional API: ``IntEnum("Key", [("Key_A", 65), ...],
boundary=KEEP)``. Before the first frame that is 210 enums with 3,405 members
(the ``Qt`` namespace alone has 94), and Python 3.11 spends about 12 µs on each
member (each is a placeholder whose ``__set_name__`` looks through the bases
and goes through ``EnumType.__setattr__`` and ``__delattr__``) and about 45 µs
on each class. That was 40 to 55 ms of a start of about 300 (issue 14).

:func:`install` puts :func:`_create_` in the place of ``EnumType._create_``. For
the one shape PySide uses (one of the four stdlib bases, a list of ``(str, int)``
pairs with plain, unique names that no base class defines) the empty class is
a copy of the dict of one that Python's own code made for the same base and
boundary, and each member is added with the steps of CPython 3.11's
``_proto_member.__set_name__``, in the same order, without the placeholder;
what ``EnumType.__new__`` sets after the members comes after them, so even the
class's dict has Python's order. Every other call goes to Python's own code
unchanged. It is installed only on CPython 3.11, whose ``enum.py`` it follows;
``tests/shell/test_fast_enum.py`` makes every enum of QtCore, QtGui, QtWidgets,
QtNetwork and QtPdf both ways and compares what a program can see (layout,
dict and its order, members, aliases, masks, repr, str, format, lookups, flag
operations, pickling), and ``benchmarks/pyside_enums.py`` measures both on the
first frame's enums.
"""

from __future__ import annotations

import contextlib
import enum
import sys
from typing import Any

#: the enum module and its metaclass, as untyped: their private parts are used
_ENUM: Any = enum
_METACLASS: Any = enum.EnumType
_stock_create = _METACLASS._create_
_BASES = frozenset({enum.Enum, enum.IntEnum, enum.Flag, enum.IntFlag})
_PLAIN_INIT = enum.Enum.__init__
_type_setattr = type.__setattr__
_type_new = type.__new__


def _plain(names: object, base_names: set) -> bool:
    """Whether ``names`` is a list of (name, int) pairs that Python's own path
    would turn into members one by one and nothing else: no ``_`` names, no
    repeats, no name of a base class (those become properties or raise)."""
    if type(names) is not list:
        return False
    seen: set[str] = set()
    add = seen.add
    for item in names:
        if type(item) is not tuple or len(item) != 2:
            return False
        name, value = item
        if type(name) is not str or type(value) is not int or not name or name[0] == "_":
            return False
        add(name)
    return len(seen) == len(names) and "mro" not in seen and seen.isdisjoint(base_names)


def _create_(
    cls, class_name, names, *, module=None, qualname=None, type=None, start=1, boundary=None
):
    """``EnumType._create_``, with the members of a plain list added directly."""
    if module is None:  # as Python's own _create_ finds it: the caller of EnumType.__call__
        with contextlib.suppress(AttributeError, ValueError, KeyError):
            module = sys._getframe(2).f_globals["__name__"]
    if (
        module is None  # not picklable then: Python's own code marks it so
        or cls not in _BASES
        or type is not None
        or cls.__init__ is not _PLAIN_INIT
        or not _plain(names, _base_names(cls))
    ):
        return _stock_create(
            cls,
            class_name,
            names,
            module=module,
            qualname=qualname,
            type=type,
            start=start,
            boundary=boundary,
        )
    made, later = _empty(cls, class_name, module, qualname, boundary)
    _add_members(made, names)
    for name, value in later:  # what EnumType.__new__ sets once the members are in
        _type_setattr(made, name, value)
    if issubclass(made, enum.Flag):
        values = [member._value_ for member in made]
        if values != sorted(values):
            flag: Any = made
            flag._iter_member_ = flag._iter_member_by_def_
    return made


#: per base and boundary, an empty enum class as Python's own code makes it
_TEMPLATES: dict = {}
#: what each new class needs of its own: the rest of a template's dict is the
#: same for every empty class of that base (names, functions, flags' masks at 0)
_OWN_CONTAINERS = ("_member_names_", "_member_map_", "_value2member_map_", "_unhashable_values_")


def _empty(cls, class_name: str, module: str, qualname, boundary) -> tuple[type, list]:
    """The empty enum class Python's own ``_create_`` would make, from a copy of
    the dict of one it made for the same base and boundary (``EnumType.__new__``
    finds the same mixins, ``__new__``, repr and Flag operators every time),
    and what ``EnumType.__new__`` sets on the class after its members (from
    ``__doc__`` on: ``__format__``, the Flag operators, ``__new__``), which
    ``_create_`` sets then, so the class's dict has Python's order too."""
    key = (cls, boundary)
    template = _TEMPLATES.get(key)
    if template is None:
        template = _TEMPLATES[key] = _stock_create(
            cls, "Template", (), module=__name__, boundary=boundary
        )
    items = list(template.__dict__.items())
    cut = [name for name, _ in items].index("__doc__") + 1
    namespace = dict(items[:cut])
    namespace["__module__"] = module
    if qualname is not None:
        namespace["__qualname__"] = qualname
    for name in _OWN_CONTAINERS:
        namespace[name] = type(namespace[name])()
    return _type_new(type(cls), class_name, (cls,), namespace), items[cut:]


def _base_names(cls) -> set:
    """Every name the bases of a new enum class define (a member may not be one)."""
    return set().union(*(base.__dict__ for base in cls.__mro__))


def _add_members(made, names: list) -> None:
    """What CPython 3.11's ``_proto_member.__set_name__`` does for each member."""
    new_member = made._new_member_
    use_args = made._use_args_
    member_type = made._member_type_
    is_flag = issubclass(made, enum.Flag)
    single_bit = _ENUM._is_single_bit
    member_names = made._member_names_
    member_map = made._member_map_
    value_map = made._value2member_map_
    flag_mask = singles_mask = 0
    for name, given in names:
        member = new_member(made, given) if use_args else new_member(made)
        value = given if member_type is object else member_type(given)
        # what __set_name__ sets, in its order; its call of __init__ is left out:
        # the four bases share Enum.__init__, which does nothing (_create_ checks)
        vars(member).update(
            _value_=value, _name_=name, __objclass__=made, _sort_order_=len(member_names)
        )
        if is_flag:
            flag_mask |= value
            if single_bit(value):
                singles_mask |= value
        canonical = value_map.get(value)
        if canonical is not None:  # the same value as an earlier member: an alias
            member = canonical
        elif not is_flag or single_bit(value):
            member_names.append(name)
        _type_setattr(made, name, member)
        member_map[name] = member
        value_map.setdefault(value, member)
    if is_flag:
        made._flag_mask_ = flag_mask
        made._singles_mask_ = singles_mask
        made._all_bits_ = 2 ** (flag_mask.bit_length()) - 1


def installed() -> bool:
    return _METACLASS._create_ is _create_


def install() -> bool:
    """Use :func:`_create_` for new enums from now on; True when it is in use.

    Only on CPython 3.11 (whose ``enum.py`` it follows step by step) and only
    before PySide makes its first enum matters; later calls change nothing made.
    """
    if installed():
        return True
    if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
        return False
    if _METACLASS._create_ is not _stock_create:  # someone else replaced it
        return False
    _METACLASS._create_ = _create_
    return True
