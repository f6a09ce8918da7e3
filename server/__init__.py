"""brieventafel-server: a Berichtenbox server that speaks FBS "Berichten Uitvraag".

The rules are not here: every tick, activation, paper and delivery rule is the
practice mailbox's own code (:class:`app.mailbox.practice.PracticeMailbox`),
over SQLite in the data folder or PostgreSQL (``--database-url``), behind an
HTTP face (FastAPI on uvicorn).
This package adds only what a server needs around it: logins and tokens,
organisations that deliver, the FBS shapes, and problem+json.
See docs/server.md.
"""

#: The FBS contract's ``info.version`` (resources/contracts/fbs-berichtenuitvraag-api.yaml);
#: sent as the ``API-Version`` header on every answer.
API_VERSION = "0.1.0"
BASE = "/api/v1"
#: The practice box's file in the data folder (here, not in .app: the CLI checks for
#: it before it loads FastAPI, so a refusal is said at once).
PRACTICE_FILE = "practice.sqlite"
#: The server's own store in the data folder, without --database-url.
SERVER_FILE = "server.sqlite"
