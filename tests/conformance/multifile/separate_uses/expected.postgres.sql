-- What the official DBML exporter (@dbml/core 10.2, as the DBML CLI runs it) writes for main.dbml

CREATE TYPE "order_state" AS ENUM (
  'open',
  'paid'
);

CREATE TABLE "orders" (
  "id" int PRIMARY KEY,
  "user_id" int NOT NULL,
  "state" order_state NOT NULL DEFAULT 'open'
);

CREATE TABLE "payments" (
  "id" int PRIMARY KEY,
  "order_id" int NOT NULL,
  "amount" decimal(10,2)
);

CREATE TABLE "users" (
  "id" int PRIMARY KEY,
  "email" varchar(320) UNIQUE NOT NULL
);

ALTER TABLE "orders" ADD FOREIGN KEY ("user_id") REFERENCES "users" ("id") DEFERRABLE INITIALLY IMMEDIATE;

ALTER TABLE "payments" ADD FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE;
