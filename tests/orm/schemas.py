"""Schemas the ORM writers are tested on: the samples, and one with every awkward name and shape."""

from __future__ import annotations

from tests.helpers import SAMPLES

AWKWARD_ONE_SCHEMA = """Project awkward {
  database_type: 'PostgreSQL'
}

Enum "order-state" {
  new
  "in progress"
  class
}

Table class [note: 'a table named by a keyword'] {
  id int [pk, increment]
  "from" varchar(20) [not null, unique]
  metadata jsonb
  "2fa" boolean [not null, default: false]
  "select" text
  registry text
  state "order-state" [not null, default: 'new']
}

Table staff {
  id bigint [pk]
  manager_id bigint [ref: > staff.id]
  class_id int [not null, ref: > class.id]
  email varchar(320) [not null]
  joined date
  checks {
    `manager_id <> id` [name: 'staff_not_own_manager']
  }
  indexes {
    `lower(email)` [unique, name: 'staff_email_lower']
    joined [where: `joined is not null`]
    (class_id, joined) [name: 'staff_by_class']
  }
}

Table tags {
  id int [pk]
  name varchar(40) [not null, unique]
}

Ref: staff.id <> tags.id
"""


OTHER_SCHEMA = """
Table ops.assignments {
  staff_id bigint [not null]
  class_id int [not null]
  weight decimal(5, 2) [check: `weight >= 0`]
  indexes {
    (staff_id, class_id) [pk]
  }
}

Ref: ops.assignments.staff_id > staff.id [delete: cascade]
Ref: ops.assignments.class_id > class.id

"""
AWKWARD = AWKWARD_ONE_SCHEMA + OTHER_SCHEMA


def sample_texts() -> dict[str, str]:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.dbml")) if p.stem != "flawed"}
    texts["awkward"] = AWKWARD
    return texts
