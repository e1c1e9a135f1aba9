-- What the official DBML exporter (@dbml/core 10.2, as the DBML CLI runs it) writes for main.dbml

CREATE SCHEMA "identity";

CREATE TABLE "sessions" (
  "id" int PRIMARY KEY,
  "account_id" int
);

CREATE TABLE "users" (
  "id" int PRIMARY KEY,
  "email" varchar(320) UNIQUE NOT NULL
);

CREATE TABLE "identity"."accounts" (
  "id" int PRIMARY KEY,
  "user_id" int NOT NULL,
  "provider" varchar(40)
);

ALTER TABLE "sessions" ADD FOREIGN KEY ("account_id") REFERENCES "identity"."accounts" ("id") DEFERRABLE INITIALLY IMMEDIATE;

ALTER TABLE "identity"."accounts" ADD FOREIGN KEY ("user_id") REFERENCES "users" ("id") DEFERRABLE INITIALLY IMMEDIATE;
