CREATE TABLE "book" (
    "id" INTEGER NOT NULL,
    "author_id" INTEGER NOT NULL,
    CONSTRAINT "pk_book" PRIMARY KEY ("id")
);

CREATE TABLE "author" (
    "id" INTEGER NOT NULL,
    "best_book_id" INTEGER,
    CONSTRAINT "pk_author" PRIMARY KEY ("id"),
    CONSTRAINT "fk_author_best_book_id_book" FOREIGN KEY ("best_book_id") REFERENCES "book" ("id")
);

CREATE TABLE "review" (
    "id" INTEGER NOT NULL,
    "book_id" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    CONSTRAINT "pk_review" PRIMARY KEY ("id"),
    CONSTRAINT "fk_review_book_id_book" FOREIGN KEY ("book_id") REFERENCES "book" ("id") ON DELETE CASCADE
);

ALTER TABLE "book" ADD CONSTRAINT "fk_book_author_id_author" FOREIGN KEY ("author_id") REFERENCES "author" ("id");
