-- What the official DBML exporter (@dbml/core 10.2, as the DBML CLI runs it) writes for main.dbml

CREATE TYPE "order_state" AS ENUM (
  'open',
  'paid'
);

CREATE TABLE "reviews" (
  "id" int PRIMARY KEY,
  "customer_id" int,
  "purchase_id" int
);

CREATE TABLE "customers" (
  "id" int PRIMARY KEY,
  "email" varchar(320) UNIQUE NOT NULL
);

CREATE TABLE "purchases" (
  "id" int PRIMARY KEY,
  "user_id" int NOT NULL,
  "state" order_state NOT NULL DEFAULT 'open'
);

ALTER TABLE "reviews" ADD FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") DEFERRABLE INITIALLY IMMEDIATE;

ALTER TABLE "reviews" ADD FOREIGN KEY ("purchase_id") REFERENCES "purchases" ("id") DEFERRABLE INITIALLY IMMEDIATE;

ALTER TABLE "purchases" ADD FOREIGN KEY ("user_id") REFERENCES "customers" ("id") DEFERRABLE INITIALLY IMMEDIATE;
