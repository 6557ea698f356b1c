CREATE TYPE "mood" AS ENUM ('sad', 'ok', 'happy');

CREATE TYPE "shirt_size" AS ENUM ('s', 'm', 'l');

CREATE TABLE "person" (
    "id" INTEGER NOT NULL,
    "mood" "mood" NOT NULL DEFAULT 'ok',
    "size" "shirt_size",
    "nick" VARCHAR(30) NOT NULL,
    CONSTRAINT "pk_person" PRIMARY KEY ("id")
);
CREATE INDEX "ix_person_lower_nick" ON "person" ((lower(nick)));
CREATE INDEX "ix_person_sized" ON "person" ("size") WHERE size IS NOT NULL;
