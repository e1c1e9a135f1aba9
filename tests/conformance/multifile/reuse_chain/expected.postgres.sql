-- What the official DBML exporter (@dbml/core 10.2, as the DBML CLI runs it) writes for main.dbml

CREATE TYPE "order_state" AS ENUM (
  'open',
  'paid'
);

CREATE TABLE "carts" (
  "id" int PRIMARY KEY,
  "member_id" int
);

CREATE TABLE "users" (
  "id" int PRIMARY KEY,
  "email" varchar(320) UNIQUE NOT NULL
);

CREATE TABLE "orders" (
  "id" int PRIMARY KEY,
  "user_id" int NOT NULL,
  "state" order_state NOT NULL DEFAULT 'open'
);

ALTER TABLE "carts" ADD FOREIGN KEY ("member_id") REFERENCES "users" ("id") DEFERRABLE INITIALLY IMMEDIATE;

ALTER TABLE "orders" ADD FOREIGN KEY ("user_id") REFERENCES "users" ("id") DEFERRABLE INITIALLY IMMEDIATE;
