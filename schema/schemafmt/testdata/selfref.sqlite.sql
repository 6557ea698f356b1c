CREATE TABLE "employee" (
    "id" INTEGER NOT NULL,
    "manager_id" INTEGER,
    "name" VARCHAR(80) NOT NULL,
    CONSTRAINT "pk_employee" PRIMARY KEY ("id"),
    CONSTRAINT "fk_employee_manager_id_employee" FOREIGN KEY ("manager_id") REFERENCES "employee" ("id") ON DELETE SET NULL
);
