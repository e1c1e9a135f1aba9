-- What the official DBML exporter (@dbml/core 10.2, as the DBML CLI runs it) writes for main.dbml

CREATE TABLE "wishes" (
  "id" int PRIMARY KEY,
  "item_id" int
);

CREATE TABLE "catalog" (
  "id" int PRIMARY KEY,
  "title" varchar(80) NOT NULL,
  "active" boolean
);

ALTER TABLE "wishes" ADD FOREIGN KEY ("item_id") REFERENCES "catalog" ("id") DEFERRABLE INITIALLY IMMEDIATE;

-- Defer constraint checking for INSERT
BEGIN;
SET CONSTRAINTS ALL DEFERRED;

INSERT INTO "catalog" ("id", "title", "active")
VALUES
  (1, 'Lamp', TRUE),
  (2, 'Desk', FALSE),
  (3, 'Chair', NULL);

SET CONSTRAINTS ALL IMMEDIATE;
COMMIT;