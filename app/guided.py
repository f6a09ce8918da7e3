"""Guided mode for library volunteers: scripts as data, and a visit that leaves nothing behind.

Two halves, no Qt:

* **Scripts.** ``resources/guided/scripts.json`` holds what a volunteer can
  help with: each script a short series of steps ("Zeg", "Doe", "Waarom") and
  what goes on the visitor's handout. Every text there is a Dutch msgid; the UI
  passes it through gettext when it shows it. :func:`extract_scripts` is a
  Babel extractor for that file (see the root ``babel.cfg``), so all
  script strings live in one place and a new script needs no new widget.
* **The visit.** A guided session runs in a throwaway profile: its own folder
  under a per-user temporary root, never the user data folder. Next to the
  folder lies ``<visit>.lock`` with the owner's PID, written *before* the
  folder is made and removed *after* it is gone. :meth:`Visit.end` removes
  everything; :func:`cleanup_stale` (run at every start) removes what a killed
  session left: folders whose PID is dead, and folders without a lock.
  Secrets of a visit live in memory only (:class:`VisitSecrets`). A part that
  must use the OS keyring during a visit registers the entry first
  (:meth:`Visit.register_keyring_entry`); ending the visit, or cleaning up
  after a crash, deletes it. ``keyring`` is imported only then.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.i18n import gettext as _
from app.paths import resources_dir

ROOT_PREFIX = "brieventafel-begeleid"
LOCK_SUFFIX = ".lock"
KEYRING_SERVICE_PREFIX = "Brieventafel bezoek"


# -- scripts -------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One step. Texts are msgids: pass them through ``_()`` when shown.

    ``targets``: objectNames of the control to click, first one found wins
    (a screen of another feature may not be there yet). ``reveal``: in this
    step the visitor decides whether the volunteer may read along.
    """

    say: str
    do: str
    why: str
    targets: tuple[str, ...] = ()
    reveal: bool = False


@dataclass(frozen=True)
class Script:
    id: str
    title: str
    about: str
    steps: tuple[Step, ...]
    #: practice story that fits the script (PEOPLE.md); used while the mailbox is the practice one
    practice_person: str | None = None
    done: str = ""
    todo: tuple[str, ...] = ()
    help: tuple[str, ...] = ()
    #: facts read from the mailbox for the handout:
    #: "account_status", "notifications", "paper", "letters"
    facts: tuple[str, ...] = ()


def scripts_path() -> Path:
    return resources_dir() / "guided" / "scripts.json"


def _script(data: dict) -> Script:
    steps = tuple(Step(say=s["say"], do=s["do"], why=s["why"],
                       targets=tuple(s.get("targets", ())), reveal=bool(s.get("reveal")))
                  for s in data["steps"])
    handout = data.get("handout", {})
    return Script(id=data["id"], title=data["title"], about=data["about"], steps=steps,
                  practice_person=data.get("practice_person"), done=handout.get("done", ""),
                  todo=tuple(handout.get("todo", ())), help=tuple(handout.get("help", ())),
                  facts=tuple(data.get("facts", ())))


def load_scripts(path: Path | None = None) -> list[Script]:
    """The scripts in the order the volunteer sees them."""
    data = json.loads((path or scripts_path()).read_text(encoding="utf-8"))
    return [_script(item) for item in data["scripts"]]


def load_general_help(path: Path | None = None) -> tuple[str, ...]:
    """Where to get help next: printed on every handout (msgids)."""
    data = json.loads((path or scripts_path()).read_text(encoding="utf-8"))
    return tuple(data.get("help", ()))


TEXT_KEYS = ("title", "about", "say", "do", "why", "done")
LIST_KEYS = ("todo", "help")


def _texts(node) -> Iterator[str]:
    """Every translatable text in the scripts file, in file order."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS and isinstance(value, str):
                if value:
                    yield value
            elif key in LIST_KEYS and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str) and v)
            else:
                yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def script_msgids(path: Path | None = None) -> list[str]:
    data = json.loads((path or scripts_path()).read_text(encoding="utf-8"))
    return list(dict.fromkeys(_texts(data)))


def extract_scripts(fileobj, keywords, comment_tags, options):
    """Babel extractor for ``scripts.json``: yields (line, funcname, message, comments)."""
    raw = fileobj.read()
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    seen: set[str] = set()
    for message in _texts(json.loads(text)):
        if message in seen:
            continue
        seen.add(message)
        encoded = json.dumps(message, ensure_ascii=False)
        at = text.find(encoded)
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        yield line, "_", message, ["guided script"]


# -- the handout ---------------------------------------------------------------
@dataclass(frozen=True)
class TodoItem:
    text: str
    by: date | None = None


@dataclass
class ScriptResult:
    """What one finished script puts on the handout, already in words."""

    script_id: str
    title: str
    done: list[str] = field(default_factory=list)
    todo: list[TodoItem] = field(default_factory=list)
    help: list[str] = field(default_factory=list)


def script_result(script: Script, session, revealed: list) -> ScriptResult:
    """The handout part of a finished script. Reads the mailbox; changes nothing.

    ``revealed``: the letters the visitor chose to show ("Laat zien"). Only
    those can appear on the handout.
    """
    from app.plain import format_date

    result = ScriptResult(script.id, _(script.title))
    if script.done:
        result.done.append(_(script.done))
    mailbox = session.mailbox
    person = session.person
    if "account_status" in script.facts:
        status = mailbox.account_status(person.id)
        if status.active:
            since = (_(" Sinds %(date)s.") % {"date": format_date(status.activated_on)}
                     if status.activated_on else "")
            result.done.append(_("Uw Berichtenbox staat aan.") + since)
        else:
            result.done.append(_("Uw Berichtenbox staat uit. Er is niets veranderd."))
    if "notifications" in script.facts:
        status = mailbox.account_status(person.id)
        if status.email:
            result.done.append(_("Uw e-mailadres bij MijnOverheid is %(email)s.") % {
                "email": status.email})
        else:
            result.todo.append(TodoItem(_("Zet een e-mailadres in MijnOverheid. "
                                          "Dan hoort u het als er post is.")))
        if status.repeat_reminder:
            result.done.append(_("De herinnering staat aan."))
        else:
            result.todo.append(TodoItem(_("Wilt u een herinnering? Zet die aan op MijnOverheid.")))
    if "paper" in script.facts:
        requests = getattr(mailbox, "paper_requests", None)
        for request in (requests(person.id) if requests else []):
            org = _organisation_name(mailbox, request.org_id)
            if request.route == "helpdesk" and request.state in ("asked", "prepared"):
                phone = _helpdesk_phone(mailbox, request.org_id)
                result.todo.append(TodoItem(
                    _("Bel %(org)s: %(phone)s. Vraag om uw post op papier.") % {
                        "org": org, "phone": phone}))
            elif request.paper_from is not None:
                result.done.append(_("Post van %(org)s komt weer op papier. "
                                     "Dat is vanaf %(date)s.") % {
                    "org": org, "date": format_date(request.paper_from)})
        if not any(t.text.startswith(_("Bel")) for t in result.todo):
            for org in mailbox.organisations():
                if org.fixed_by_law:
                    result.todo.append(TodoItem(
                        _("Wilt u ook post van %(org)s op papier? Bel dan %(phone)s.") % {
                            "org": org.name, "phone": _helpdesk_phone(mailbox, org.id)}))
    if "letters" in script.facts:
        for letter in revealed:
            result.done.append(_("We hebben samen de brief van %(sender)s gelezen.") % {
                "sender": letter.sender})
            if letter.what_to_do:
                result.todo.append(TodoItem(f"{letter.sender}: {letter.what_to_do}",
                                            letter.deadline))
    result.todo.extend(TodoItem(_(text)) for text in script.todo)
    result.help.extend(_(text) for text in script.help)
    return result


def _organisation_name(mailbox, org_id: str) -> str:
    try:
        return mailbox.organisation(org_id).name
    except Exception:  # noqa: BLE001 - an unknown organisation still gets a line
        return org_id


def _helpdesk_phone(mailbox, org_id: str) -> str:
    try:
        org = mailbox.organisation(org_id)
    except Exception:  # noqa: BLE001
        return ""
    route = org.paper_route or {}
    return route.get("phone") or org.phone


@dataclass
class Handout:
    training: bool
    results: list[ScriptResult]
    help: list[str]

    def todo(self) -> list[TodoItem]:
        """Everything still to do, the earliest deadline first, undated last."""
        items = [item for r in self.results for item in r.todo]
        return sorted(items, key=lambda t: (t.by is None, t.by or date.max))


def build_handout(results: list[ScriptResult], *, training: bool,
                  help_texts: tuple[str, ...] = ()) -> Handout:
    texts = [_(t) for t in help_texts] + [t for r in results for t in r.help]
    return Handout(training, list(results), list(dict.fromkeys(texts)))


# -- the visit: a throwaway profile --------------------------------------------
def _user_tag() -> str:
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        return str(getuid())
    import getpass
    import hashlib

    return hashlib.sha256(getpass.getuser().encode()).hexdigest()[:12]


def default_root() -> Path:
    """Per user, in the system's temporary folder (honours TMPDIR / TEMP)."""
    return Path(tempfile.gettempdir()) / f"{ROOT_PREFIX}-{_user_tag()}"


def _prepare_root(root: Path) -> Path:
    if root.is_symlink():
        raise OSError(f"refusing a symlinked guided root: {root}")
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    getuid = getattr(os, "getuid", None)
    if getuid is not None and root.stat().st_uid != getuid():
        raise OSError(f"guided root belongs to another user: {root}")
    return root


def _process_start(pid: int) -> str | None:
    """The start time of a process (Linux), so a reused PID is not taken as ours."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[-1].split()[19]


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_lock(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_lock(path: Path, data: dict) -> None:
    """Atomically: a half-written lock never exists under its real name."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _owner_alive(data: dict | None) -> bool:
    if not data:
        return False
    pid = int(data.get("pid", 0))
    if not pid_alive(pid):
        return False
    started = data.get("started")
    return started is None or _process_start(pid) in (None, started)


def _remove_tree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)
        if path.exists():  # a read-only file; make it writable and try once more
            for p in path.rglob("*"):
                try:
                    p.chmod(0o700)
                except OSError:
                    pass
            shutil.rmtree(path, ignore_errors=True)


def _forget_keyring(entries) -> None:
    if not entries:
        return
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError
    except ImportError:
        return
    for service, username in entries:
        try:
            keyring.delete_password(service, username)
        except (PasswordDeleteError, KeyringError, RuntimeError):
            pass


def cleanup_stale(root: Path | None = None) -> int:
    """Remove what killed guided sessions left behind; returns how many visits.

    A visit belongs to a living process only while its lock names a PID that
    runs (and, on Linux, started when the lock says). A folder without a lock
    is left over too: the lock is written before the folder and removed after.
    """
    try:
        return _cleanup(root or default_root())
    except OSError:   # a root we cannot read is no reason not to start
        return 0


def _cleanup(root: Path) -> int:
    if not root.is_dir() or root.is_symlink():
        return 0
    removed = 0
    locks = {p.name[:-len(LOCK_SUFFIX)]: p for p in root.glob(f"*{LOCK_SUFFIX}")}
    for visit_id, lock in locks.items():
        data = _read_lock(lock)
        if _owner_alive(data):
            continue
        _forget_keyring((data or {}).get("keyring", ()))
        _remove_tree(root / visit_id)
        lock.unlink(missing_ok=True)
        removed += 1
    for entry in root.iterdir():
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            parts = entry.name.split(".")
            pid = int(parts[-2]) if len(parts) >= 2 and parts[-2].isdigit() else 0
            if not pid_alive(pid):
                entry.unlink(missing_ok=True)
        elif entry.is_dir() and entry.name not in locks:
            _remove_tree(entry)
            removed += 1
    return removed


class VisitSecrets:
    """Secrets of a visit (a login token, say): held in memory only, never written."""

    def __init__(self):
        self._values: dict[str, str] = {}

    def set(self, name: str, value: str) -> None:
        self._values[name] = value

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def clear(self) -> None:
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


class Visit:
    """One visitor at the library PC: a throwaway folder, a session, memory-only secrets.

    ``training``: the volunteer practises on the practice mailbox; every screen
    and the handout say so.
    """

    def __init__(self, root: Path, visit_id: str, *, training: bool = False,
                 today: Callable[[], date] = date.today):
        self.root = root
        self.id = visit_id
        self.folder = root / visit_id
        self.lock = root / f"{visit_id}{LOCK_SUFFIX}"
        self.training = training
        self.today = today
        self.secrets = VisitSecrets()
        self.session = None
        self.ended = False
        self._keyring: list[tuple[str, str]] = []

    @classmethod
    def start(cls, root: Path | None = None, *, training: bool = False,
              today: Callable[[], date] = date.today) -> Visit:
        root = _prepare_root(root or default_root())
        visit = cls(root, secrets.token_hex(8), training=training, today=today)
        _write_lock(visit.lock, visit._lock_data())
        visit.folder.mkdir(mode=0o700)
        return visit

    def _lock_data(self) -> dict:
        return {"pid": os.getpid(), "started": _process_start(os.getpid()),
                "keyring": [list(e) for e in self._keyring]}

    @property
    def keyring_service(self) -> str:
        """The keyring service name for anything this visit must keep there."""
        return f"{KEYRING_SERVICE_PREFIX} {self.id}"

    def register_keyring_entry(self, username: str, service: str | None = None) -> tuple[str, str]:
        """Call *before* writing a keyring entry for the visit: it is then removed
        at the end, even after a crash. Returns (service, username)."""
        entry = (service or self.keyring_service, username)
        if entry not in self._keyring:
            self._keyring.append(entry)
            _write_lock(self.lock, self._lock_data())
        return entry

    def open_session(self, person_id: str | None = None):
        """A practice session in the visit's own folder (closing the one before)."""
        from app.session import Session

        if self.ended:
            raise RuntimeError("visit ended")
        if self.session is not None:
            if person_id is None or self.session.person.id == person_id:
                return self.session
            self.session.close()
            self.session = None
        self.session = Session.open_practice(self.folder, person_id=person_id, today=self.today)
        return self.session

    def end(self) -> bool:
        """Close and remove everything of the visit. Safe to call twice.

        Returns True when nothing is left (folder, lock and keyring entries).
        """
        if self.session is not None:
            try:
                self.session.close()
            finally:
                self.session = None
        self.secrets.clear()
        _forget_keyring(self._keyring)
        self._keyring.clear()
        _remove_tree(self.folder)
        if not self.folder.exists():
            self.lock.unlink(missing_ok=True)
        self.ended = True
        return not self.folder.exists() and not self.lock.exists()
