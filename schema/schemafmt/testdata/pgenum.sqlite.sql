CREATE TABLE "person" (
    "id" INTEGER NOT NULL,
    "mood" VARCHAR(5) NOT NULL DEFAULT 'ok',
    "size" VARCHAR(1),
    "nick" VARCHAR(30) NOT NULL,
    CONSTRAINT "pk_person" PRIMARY KEY ("id"),
    CONSTRAINT "ck_person_mood" CHECK ("mood" IN ('sad', 'ok', 'happy')),
    CONSTRAINT "ck_person_size" CHECK ("size" IN ('s', 'm', 'l'))
);
CREATE INDEX "ix_person_lower_nick" ON "person" ((lower(nick)));
CREATE INDEX "ix_person_sized" ON "person" ("size") WHERE size IS NOT NULL;
