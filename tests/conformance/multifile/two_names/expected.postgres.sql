-- What the official DBML exporter (@dbml/core 10.2, as the DBML CLI runs it) writes for main.dbml

CREATE TABLE "follows" (
  "follower_id" int,
  "followed_id" int
);

CREATE TABLE "people" (
  "id" int PRIMARY KEY,
  "email" varchar(320) UNIQUE NOT NULL
);

ALTER TABLE "follows" ADD FOREIGN KEY ("follower_id") REFERENCES "people" ("id") DEFERRABLE INITIALLY IMMEDIATE;

ALTER TABLE "follows" ADD FOREIGN KEY ("followed_id") REFERENCES "people" ("id") DEFERRABLE INITIALLY IMMEDIATE;
